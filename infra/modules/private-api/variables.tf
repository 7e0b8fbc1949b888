variable "create" {
  description = "Whether the private API exists (true when at least one route group is private)."
  type        = bool
}

variable "name" {
  description = "API name."
  type        = string
}

variable "vpc_endpoint_ids" {
  description = "execute-api VPC endpoints through which the API is reachable."
  type        = list(string)
}

variable "user_pool_arn" {
  description = "Cognito user pool whose access tokens the authorizer accepts."
  type        = string
}

variable "tags" {
  description = "Tags for the API."
  type        = map(string)
  default     = {}
}
