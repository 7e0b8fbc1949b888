# Functions run in private subnets without NAT: gateway endpoints for
# DynamoDB and S3, interface endpoints for the rest. lambda and sts serve the
# MSK event source mappings; cognito-idp serves the user pool's JWKS to the
# auth middleware; execute-api exists only when a route group is private.
module "network" {
  source = "../modules/network"

  name               = var.name_prefix
  region             = var.region
  cidr_block         = var.vpc_cidr_block
  availability_zones = var.availability_zones
  interface_endpoint_services = concat(
    ["sns", "sts", "ssm", "lambda", "cognito-idp"],
    local.private_api ? ["execute-api"] : [],
  )
  tags = var.tags
}

module "kafka_cluster" {
  source = "../modules/msk-serverless"

  name               = var.name_prefix
  subnet_ids         = module.network.subnet_ids
  security_group_ids = [module.network.security_group_ids["kafka"]]
  tags               = var.tags
}
