variable "name" {
  description = "API name."
  type        = string
}

variable "jwt_issuer" {
  description = "Issuer of the access tokens, https://cognito-idp.<region>.amazonaws.com/<user pool id>."
  type        = string
}

variable "jwt_audience" {
  description = "Accepted audiences; for Cognito access tokens, the app client ids."
  type        = list(string)
}

variable "throttling_rate_limit" {
  description = "Steady-state requests per second across all routes."
  type        = number
  default     = 500
}

variable "throttling_burst_limit" {
  description = "Burst of requests across all routes."
  type        = number
  default     = 1000
}

variable "log_retention_days" {
  description = "Retention of the access logs, in days."
  type        = number
  default     = 90
}

variable "log_kms_key_arn" {
  description = "KMS key encrypting the access log group, or null for CloudWatch Logs' own encryption."
  type        = string
  default     = null
}

variable "domain_name" {
  description = "Custom domain of the API, or null for the execute-api endpoint only."
  type        = string
  default     = null
}

variable "certificate_arn" {
  description = "ACM certificate of the custom domain, in the API's region."
  type        = string
  default     = null
}

variable "disable_default_endpoint" {
  description = "With a custom domain, whether the execute-api endpoint is switched off."
  type        = bool
  default     = true
}

variable "cors_allowed_origins" {
  description = "Origins (scheme and host, e.g. https://console.example.com) whose browser scripts may call the API; empty for no CORS."
  type        = list(string)
  default     = []
}

variable "cors_allowed_headers" {
  description = "Request headers a cross-origin caller may send."
  type        = list(string)
  default     = ["authorization", "content-type", "idempotency-key", "if-match"]
}

variable "cors_exposed_headers" {
  description = "Response headers a cross-origin caller's script may read."
  type        = list(string)
  default     = ["repr-digest", "x-archive-key", "location", "etag", "content-disposition"]
}

variable "tags" {
  description = "Tags for every resource."
  type        = map(string)
  default     = {}
}
