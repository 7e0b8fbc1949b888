output "apigatewayv2_api_id" {
  description = "ID of the HTTP API (provider.httpApi.id of the services)."
  value       = aws_apigatewayv2_api.this.id
}

output "apigatewayv2_api_api_endpoint" {
  description = "Default endpoint of the API."
  value       = aws_apigatewayv2_api.this.api_endpoint
}

output "apigatewayv2_api_execution_arn" {
  description = "Execution ARN, the prefix of the ARNs that invoke the API's integrations."
  value       = aws_apigatewayv2_api.this.execution_arn
}

output "apigatewayv2_authorizer_id" {
  description = "ID of the JWT authorizer."
  value       = aws_apigatewayv2_authorizer.this.id
}

output "apigatewayv2_stage_id" {
  description = "ID of the $default stage."
  value       = aws_apigatewayv2_stage.this.id
}

output "apigatewayv2_domain_name_target_domain_names" {
  description = "Target of the DNS alias of the custom domain, if any."
  value       = [for domain in aws_apigatewayv2_domain_name.this : domain.domain_name_configuration[0].target_domain_name]
}
