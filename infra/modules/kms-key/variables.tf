variable "alias" {
  description = "Alias of the key, without the alias/ prefix."
  type        = string
}

variable "description" {
  description = "What the key encrypts."
  type        = string
}

variable "region" {
  description = "Region of the services that use the key (kms:ViaService is regional)."
  type        = string
}

variable "via_services" {
  description = "Services (dynamodb, s3, sns, ...) through which principals of the account may use the key."
  type        = list(string)
  default     = []
}

variable "service_principals" {
  description = "Service principals that publish to a topic encrypted with the key on their own behalf (cloudwatch.amazonaws.com)."
  type        = list(string)
  default     = []
}

variable "rotation_period_in_days" {
  description = "Days between automatic rotations of the key material (90 to 2560)."
  type        = number
  default     = 365
}

variable "deletion_window_in_days" {
  description = "Waiting period, in days, before a scheduled deletion of the key takes effect."
  type        = number
  default     = 30
}

variable "tags" {
  description = "Tags for the key."
  type        = map(string)
  default     = {}
}
