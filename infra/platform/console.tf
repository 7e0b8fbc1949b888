# The operations console: a static site (S3 + CloudFront) that people sign in
# to with Cognito's hosted UI (authorization code with PKCE). Each participant
# and the operator get one public app client for it, mapped to their entity
# like their machine clients, so the API resolves a person's token to the
# entity whose client they signed in through. The deploy uploads the built
# files (docs/deploy.md); Terraform writes only config.json, what the console
# reads at start: where the API and the hosted UI are, and the clients.
locals {
  cognito_url = "https://${module.api_auth.cognito_user_pool_domain_domain}.auth.${var.region}.amazoncognito.com"
  api_url     = var.api_domain_name == null ? module.http_api.apigatewayv2_api_api_endpoint : "https://${var.api_domain_name}"

  console_redirect_uri = module.console.cloudfront_distribution_url
  console_origin       = var.console_enabled ? trimsuffix(local.console_redirect_uri, "/") : null

  # Console clients are named <entity id>-console; a participant's machine
  # client may not take that name (see var.participants).
  participant_console_clients = [
    for entity_id, participant in var.participants : {
      name      = "${entity_id}-console"
      entity_id = entity_id
      label     = coalesce(participant.name, entity_id)
      scopes    = participant.scopes
    }
  ]
  operator_console_clients = var.operator == null ? [] : [{
    name      = "${var.operator.entity_id}-console"
    entity_id = var.operator.entity_id
    label     = "Platform operator"
    scopes    = local.operator_scopes
  }]
  console_client_list = var.console_enabled ? concat(local.participant_console_clients, local.operator_console_clients) : []
  console_clients     = { for client in local.console_client_list : client.name => { entity_id = client.entity_id, scopes = client.scopes } }

  # The API is named by its custom domain or by a wildcard of the region's
  # execute-api hosts: the API's own hostname would make a cycle (its CORS
  # origins name the distribution, whose headers policy would name the API).
  console_connect_src = [
    var.api_domain_name == null ? "https://*.execute-api.${var.region}.amazonaws.com" : "https://${var.api_domain_name}",
    local.cognito_url,
  ]
}

module "console" {
  source = "../modules/static-site"
  providers = {
    aws           = aws
    aws.us_east_1 = aws.us_east_1
  }

  create          = var.console_enabled
  name            = "${var.name_prefix}-console"
  bucket          = "${var.name_prefix}-console"
  connect_src     = local.console_connect_src
  form_action     = [local.cognito_url]
  domain_name     = var.console_domain_name
  certificate_arn = var.console_certificate_arn
  tags            = var.tags

  access_log_destination = {
    bucket_arn = module.access_logs.s3_bucket_arn
    prefix     = "cloudfront/${var.name_prefix}-console"
  }
}

# What the console reads at start. Uploaded with no-cache so that a change
# (a new participant) reaches browsers on their next load.
resource "aws_s3_object" "console_config" {
  count = var.console_enabled ? 1 : 0

  bucket        = module.console.s3_bucket_id
  key           = "config.json"
  content_type  = "application/json"
  cache_control = "no-cache"
  content = jsonencode({
    apiUrl = local.api_url
    auth = {
      mode         = "pkce"
      authorizeUrl = "${local.cognito_url}/oauth2/authorize"
      tokenUrl     = "${local.cognito_url}/oauth2/token"
      logoutUrl    = "${local.cognito_url}/logout"
      redirectUri  = local.console_redirect_uri
      # Every scope some console client may ask for. A client asks for its
      # own (clients[].scopes): Cognito refuses a scope the client lacks.
      scopes = [for scope in ["read", "write", "admin"] : "payments/${scope}" if anytrue([for client in local.console_client_list : contains(client.scopes, scope)])]
      clients = [
        for client in local.console_client_list : {
          label    = client.label
          clientId = module.api_auth.cognito_user_pool_client_ids[client.name]
          scopes   = concat(["openid"], [for scope in client.scopes : "payments/${scope}"])
        }
      ]
    }
  })
  tags = var.tags
}
