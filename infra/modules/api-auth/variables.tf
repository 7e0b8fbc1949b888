variable "name" {
  description = "User pool name."
  type        = string
}

variable "domain" {
  description = "Cognito domain prefix serving the token endpoint."
  type        = string
}

variable "resource_server_identifier" {
  description = "Resource server identifier. Scopes are issued as <identifier>/<scope>."
  type        = string
}

variable "resource_server_name" {
  description = "Display name of the resource server."
  type        = string
}

variable "scopes" {
  description = "Scopes of the resource server: name and description."
  type = list(object({
    name        = string
    description = string
  }))
}

variable "tags" {
  description = "Tags for the user pool."
  type        = map(string)
  default     = {}
}
