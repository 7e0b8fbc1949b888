output "api_gateway_rest_api_id" {
  description = "ID of the private REST API, or null when no route group is private."
  value       = try(aws_api_gateway_rest_api.this[0].id, null)
}

output "api_gateway_rest_api_root_resource_id" {
  description = "ID of the API's root resource (provider.apiGateway.restApiRootResourceId), or null."
  value       = try(aws_api_gateway_rest_api.this[0].root_resource_id, null)
}

output "api_gateway_authorizer_id" {
  description = "ID of the Cognito authorizer of the private API, or null."
  value       = try(aws_api_gateway_authorizer.this[0].id, null)
}

output "api_gateway_resource_id" {
  description = "ID of the API's /v1 resource, under which every service adds its routes, or null."
  value       = try(aws_api_gateway_resource.this[0].id, null)
}
