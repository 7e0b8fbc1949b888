variable "name" {
  description = "Table name."
  type        = string
}

variable "hash_key" {
  description = "Partition key attribute name."
  type        = string
}

variable "range_key" {
  description = "Sort key attribute name, or null for a table without one."
  type        = string
  default     = null
}

variable "attributes" {
  description = "Key attributes of the table and its indexes: name and type (S, N or B)."
  type = list(object({
    name = string
    type = string
  }))
}

variable "global_secondary_indexes" {
  description = "Global secondary indexes. Projection is ALL unless projection_type says otherwise."
  type = list(object({
    name            = string
    hash_key        = string
    range_key       = optional(string)
    projection_type = optional(string, "ALL")
  }))
  default = []
}

variable "ttl_attribute" {
  description = "Attribute holding the expiry epoch seconds, or null for no TTL."
  type        = string
  default     = null
}

variable "point_in_time_recovery" {
  description = "Whether point-in-time recovery is on."
  type        = bool
  default     = true
}

variable "deletion_protection" {
  description = "Whether the table refuses deletion."
  type        = bool
  default     = true
}

variable "kms_key_arn" {
  description = "Customer-managed KMS key encrypting the table. Required: no table of the platform falls back to the AWS-owned key."
  type        = string

  validation {
    condition     = var.kms_key_arn != null && can(regex("^arn:", var.kms_key_arn))
    error_message = "kms_key_arn is the ARN of a customer-managed KMS key."
  }
}

variable "tags" {
  description = "Tags for the table."
  type        = map(string)
  default     = {}
}
