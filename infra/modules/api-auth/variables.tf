variable "name" {
  description = "User pool name."
  type        = string
}

variable "domain" {
  description = "Cognito domain prefix serving the token endpoint and the hosted UI."
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
  description = "App clients by client name: the scope names (without the identifier) each may ask for, and for a client people sign in through (code with PKCE, no secret) its callback and logout URLs; without sign_in a client is a machine's (client_credentials, with a secret)."
  type = map(object({
    scopes = list(string)
    sign_in = optional(object({
      callback_urls = list(string)
      logout_urls   = list(string)
    }))
  }))
  default = {}
}

variable "groups" {
  description = "User groups by name, with their description."
  type        = map(string)
  default     = {}
}

variable "mfa_configuration" {
  description = "Second factor of people signing in: ON (TOTP required), OPTIONAL or OFF. Machine clients are not affected."
  type        = string
  default     = "ON"

  validation {
    condition     = contains(["ON", "OPTIONAL", "OFF"], var.mfa_configuration)
    error_message = "mfa_configuration is ON, OPTIONAL or OFF."
  }
}

variable "access_token_validity_minutes" {
  description = "Lifetime of a machine client's access token, in minutes."
  type        = number
  default     = 60
}

variable "user_access_token_validity_minutes" {
  description = "Lifetime of the access and ID tokens of a person's client, in minutes."
  type        = number
  default     = 15
}

variable "user_refresh_token_validity_hours" {
  description = "Lifetime of the refresh token of a person's client, in hours: how long a console session lasts without signing in again."
  type        = number
  default     = 8
}
