# Participants come from one variable: their app clients (Cognito), the
# client mappings the services resolve callers with, and the endpoints
# notified of their messages.
locals {
  clients = merge({}, [
    for entity_id, participant in var.participants : {
      for client in participant.clients : "${entity_id}-${client}" => { entity_id = entity_id, scopes = participant.scopes }
    }
  ]...)

  subscriptions = merge({}, [
    for entity_id, participant in var.participants : merge(
      { for address in participant.email_endpoints : "${entity_id} ${address}" => { protocol = "email", endpoint = address, entity_id = entity_id } },
      { for url in participant.https_endpoints : "${entity_id} ${url}" => { protocol = "https", endpoint = url, entity_id = entity_id } },
    )
  ]...)
}

# The mapping item of each client: what the auth middleware reads to turn a
# token's client_id into an entity and its allowed scopes.
resource "aws_dynamodb_table_item" "client_mapping" {
  for_each = local.clients

  table_name = module.mapping_table.dynamodb_table_name
  hash_key   = "clientId"
  item = jsonencode({
    clientId = { S = module.api_auth.cognito_user_pool_client_ids[each.key] }
    entityId = { S = each.value.entity_id }
    scopes   = { SS = [for scope in each.value.scopes : "payments/${scope}"] }
    status   = { S = "ACTIVE" }
  })
}
