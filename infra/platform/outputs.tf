output "archive_bucket_s3_bucket_id" {
  description = "Name of the archive bucket."
  value       = module.archive_bucket.s3_bucket_id
}

output "notification_topic_sns_topic_arn" {
  description = "ARN of the notification topic."
  value       = module.notification_topic.sns_topic_arn
}

output "ssm_parameter_names" {
  description = "Names of the SSM parameters the services read."
  value = concat(
    [for parameter in aws_ssm_parameter.this : parameter.name],
    [for parameter in aws_ssm_parameter.platform : parameter.name],
    [for parameter in aws_ssm_parameter.platform_list : parameter.name],
  )
}

output "http_api_apigatewayv2_api_api_endpoint" {
  description = "Default endpoint of the HTTP API."
  value       = module.http_api.apigatewayv2_api_api_endpoint
}

output "http_api_apigatewayv2_domain_name_target_domain_names" {
  description = "Where the custom domain's DNS alias points, if there is one."
  value       = module.http_api.apigatewayv2_domain_name_target_domain_names
}

output "api_auth_cognito_user_pool_client_ids" {
  description = "App client IDs by client name (entity id and client)."
  value       = module.api_auth.cognito_user_pool_client_ids
}

output "kafka_cluster_msk_serverless_cluster_bootstrap_brokers_sasl_iam" {
  description = "Bootstrap brokers of the cluster (IAM, port 9098), reached from inside the VPC only."
  value       = module.kafka_cluster.msk_serverless_cluster_bootstrap_brokers_sasl_iam
}

output "console_s3_bucket_id" {
  description = "Bucket of the console's files, or null without the console."
  value       = module.console.s3_bucket_id
}

output "console_cloudfront_distribution_id" {
  description = "Distribution serving the console (for invalidations), or null."
  value       = module.console.cloudfront_distribution_id
}

output "console_cloudfront_distribution_domain_name" {
  description = "The distribution's *.cloudfront.net name: the console's host without a custom domain, the DNS alias target of console_domain_name with one."
  value       = module.console.cloudfront_distribution_domain_name
}

output "console_cloudfront_distribution_url" {
  description = "URL of the console (its redirect URI), or null without the console."
  value       = module.console.cloudfront_distribution_url
}

output "kafka_topics_lambda_function_function_name" {
  description = "Name of the function that applies the topic map; invoke it to run it again."
  value       = module.kafka_topics.lambda_function_function_name
}

output "kafka_topics_lambda_invocation_result" {
  description = "What the topic function did on its last run from Terraform (JSON: created, raised, unchanged, notLowered)."
  value       = module.kafka_topics.lambda_invocation_result
}
