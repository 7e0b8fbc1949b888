# What the services read at deploy time, beyond the table, bucket, topic and
# auth names of main.tf: the network, the Kafka cluster, the APIs and the keys.
locals {
  kafka_cluster_arn = module.kafka_cluster.msk_serverless_cluster_arn

  string_parameters = merge(
    {
      "kafka/bootstrap-brokers-iam" = module.kafka_cluster.msk_serverless_cluster_bootstrap_brokers_sasl_iam
      "kafka/cluster-arn"           = local.kafka_cluster_arn

      # IAM names a topic arn:…:topic/<cluster>/<uuid>/<topic> and a group
      # arn:…:group/<cluster>/<uuid>/<group>; services append the name.
      "kafka/topic-arn-prefix" = replace(local.kafka_cluster_arn, ":cluster/", ":topic/")
      "kafka/group-arn-prefix" = replace(local.kafka_cluster_arn, ":cluster/", ":group/")
      "http-api/id"            = module.http_api.apigatewayv2_api_id
      "http-api/authorizer-id" = module.http_api.apigatewayv2_authorizer_id
      "http-api/endpoint"      = module.http_api.apigatewayv2_api_api_endpoint
      "auth/token-url"         = "https://${module.api_auth.cognito_user_pool_domain_domain}.auth.${var.region}.amazoncognito.com/oauth2/token"
      "vpc/security-group-id"  = module.network.security_group_ids["functions"]
      "kms/data-key-arn"       = module.data_key.kms_key_arn
      "kms/archive-key-arn"    = module.archive_key.kms_key_arn
      "kms/messaging-key-arn"  = module.messaging_key.kms_key_arn
      "topic/ops"              = module.alarms.sns_topic_arn
    },
    { for group, exposure in var.route_groups : "api/${group}/exposure" => exposure },
    # Where the deploy uploads the console and whose cache it invalidates.
    {
      for name, value in {
        "console/bucket"          = module.console.s3_bucket_id
        "console/distribution-id" = module.console.cloudfront_distribution_id
        "console/url"             = local.console_redirect_uri
      } : name => value if var.console_enabled
    },
    {
      for name, value in {
        "rest-api/id"               = module.private_api.api_gateway_rest_api_id
        "rest-api/root-resource-id" = module.private_api.api_gateway_rest_api_root_resource_id
        "rest-api/v1-resource-id"   = module.private_api.api_gateway_resource_id
        "rest-api/authorizer-id"    = module.private_api.api_gateway_authorizer_id
      } : name => value if local.private_api
    },
  )
}

resource "aws_ssm_parameter" "platform" {
  for_each = local.string_parameters

  name  = "/mxflow/${var.stage}/${each.key}"
  type  = "String"
  value = each.value
  tags  = var.tags
}

# Serverless reads a StringList as a list (provider.vpc.subnetIds).
resource "aws_ssm_parameter" "platform_list" {
  for_each = {
    "vpc/subnet-ids" = module.network.subnet_ids
  }

  name  = "/mxflow/${var.stage}/${each.key}"
  type  = "StringList"
  value = join(",", each.value)
  tags  = var.tags
}
