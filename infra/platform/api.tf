locals {
  private_api = contains(values(var.route_groups), "private")
}

module "http_api" {
  source = "../modules/http-api"

  name       = var.name_prefix
  jwt_issuer = "https://${module.api_auth.cognito_user_pool_endpoint}"
  # The authorizer needs an audience; until the first participant exists it
  # names one that no Cognito client id can be.
  jwt_audience           = coalescelist(values(module.api_auth.cognito_user_pool_client_ids), ["no-participant-yet"])
  throttling_rate_limit  = var.api_throttling_rate_limit
  throttling_burst_limit = var.api_throttling_burst_limit
  domain_name            = var.api_domain_name
  certificate_arn        = var.api_certificate_arn
  cors_allowed_origins   = var.console_enabled ? [local.console_origin] : []
  tags                   = var.tags
}

module "private_api" {
  source = "../modules/private-api"

  create           = local.private_api
  name             = "${var.name_prefix}-private"
  vpc_endpoint_ids = local.private_api ? [module.network.vpc_endpoint_ids["execute-api"]] : []
  user_pool_arn    = module.api_auth.cognito_user_pool_arn
  tags             = var.tags
}
