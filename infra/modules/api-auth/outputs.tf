output "cognito_user_pool_id" {
  description = "ID of the user pool."
  value       = aws_cognito_user_pool.this.id
}

output "cognito_user_pool_endpoint" {
  description = "Endpoint of the user pool; the JWT issuer is https://<endpoint>."
  value       = aws_cognito_user_pool.this.endpoint
}

output "cognito_user_pool_domain_domain" {
  description = "Domain prefix serving /oauth2/token, /oauth2/authorize and /logout."
  value       = aws_cognito_user_pool_domain.this.domain
}

output "cognito_resource_server_scope_identifiers" {
  description = "Full scope names, <identifier>/<scope>."
  value       = aws_cognito_resource_server.this.scope_identifiers
}

output "cognito_user_pool_arn" {
  description = "ARN of the user pool (for a REST API's Cognito authorizer)."
  value       = aws_cognito_user_pool.this.arn
}

output "cognito_user_pool_client_ids" {
  description = "App client IDs by client name."
  value       = { for name, client in aws_cognito_user_pool_client.this : name => client.id }
}

output "cognito_user_group_names" {
  description = "Names of the user groups."
  value       = [for group in aws_cognito_user_group.this : group.name]
}
