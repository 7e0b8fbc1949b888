module "alarms" {
  source = "../modules/alarms"

  name               = "${var.name_prefix}-ops"
  kms_master_key_id  = module.messaging_key.kms_key_arn
  email_endpoints    = var.ops_email_endpoints
  kafka_cluster_name = var.name_prefix
  dead_letter_topics = [for topic in keys(jsondecode(module.kafka_topics.lambda_invocation_input).topics) : topic if can(regex("^dlq\\.|\\.dlq$", topic))]
  consumer_groups    = var.consumer_groups
  http_api_id        = module.http_api.apigatewayv2_api_id
  tags               = var.tags
}
