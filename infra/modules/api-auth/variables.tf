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

variable "clients" {
  description = "App clients (client_credentials) by client name: the scope names (without the identifier) each may ask for."
  type = map(object({
    scopes = list(string)
  }))
  default = {}
}

variable "access_token_validity_minutes" {
  description = "Lifetime of an access token, in minutes."
  type        = number
  default     = 60
}
