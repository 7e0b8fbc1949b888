# Participants come from one variable: their app clients (Cognito), the
# client mappings the services resolve callers with, and the endpoints
# notified of their messages. The operator's clients (the admin API's
# callers) are mapped the same way, to the operator's entity.
locals {
  operator_scopes = ["admin", "read"]

  participant_clients = [
    for entity_id, participant in var.participants : {
      for client in participant.clients : "${entity_id}-${client}" => { entity_id = entity_id, scopes = participant.scopes }
    }
  ]
  operator_clients = var.operator == null ? {} : {
    for client in var.operator.clients : "${var.operator.entity_id}-${client}" => { entity_id = var.operator.entity_id, scopes = local.operator_scopes }
  }
  clients = merge({}, concat(local.participant_clients, [local.operator_clients])...)

  subscriptions = merge({}, [
    for entity_id, participant in var.participants : merge(
      { for address in participant.email_endpoints : "${entity_id} ${address}" => { protocol = "email", endpoint = address, entity_id = entity_id } },
      { for url in participant.https_endpoints : "${entity_id} ${url}" => { protocol = "https", endpoint = url, entity_id = entity_id } },
    )
  ]...)
}

# The mapping item of each client, machine or console: what the auth
# middleware reads to turn a token's client_id into an entity and its
# allowed scopes.
resource "aws_dynamodb_table_item" "client_mapping" {
  for_each = merge(local.clients, local.console_clients)

  table_name = module.mapping_table.dynamodb_table_name
  hash_key   = "clientId"
  item = jsonencode({
    clientId = { S = module.api_auth.cognito_user_pool_client_ids[each.key] }
    entityId = { S = each.value.entity_id }
    scopes   = { SS = [for scope in each.value.scopes : "payments/${scope}"] }
    status   = { S = "ACTIVE" }
  })
}

# The operator's entity, written once: afterwards it is the admin API's to
# change (a versioned item), so Terraform does not put back what it wrote.
resource "aws_dynamodb_table_item" "operator_entity" {
  count = var.operator == null ? 0 : 1

  table_name = module.entity_table.dynamodb_table_name
  hash_key   = "entityId"
  item = jsonencode({
    entityId = { S = var.operator.entity_id }
    name     = { S = var.operator.name }
    bic      = { S = var.operator.bic }
    bics     = { SS = [var.operator.bic] }
    accounts = { NULL = true }
    status   = { S = "ACTIVE" }
    version  = { N = "1" }
  })

  lifecycle {
    ignore_changes = [item]
  }
}
