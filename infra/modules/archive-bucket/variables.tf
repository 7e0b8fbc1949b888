variable "bucket" {
  description = "Bucket name."
  type        = string
}

variable "retention_mode" {
  description = "Default Object Lock mode for new object versions. COMPLIANCE has no bypass, not even for the root user."
  type        = string
  default     = "COMPLIANCE"

  validation {
    condition     = contains(["COMPLIANCE", "GOVERNANCE"], var.retention_mode)
    error_message = "retention_mode must be COMPLIANCE or GOVERNANCE."
  }
}

variable "retention_days" {
  description = "Default Object Lock retention, in days, for new object versions."
  type        = number
  default     = 3650
}

variable "force_destroy" {
  description = "Whether Terraform may delete a non-empty bucket. Locked versions still cannot be deleted."
  type        = bool
  default     = false
}

variable "kms_key_arn" {
  description = "Customer-managed KMS key encrypting the archive (SSE-KMS with a bucket key). Required."
  type        = string

  validation {
    condition     = var.kms_key_arn != null && can(regex("^arn:", var.kms_key_arn))
    error_message = "kms_key_arn is the ARN of a customer-managed KMS key."
  }
}

variable "access_logs_enabled" {
  description = "Whether to send server access logs to access_log_bucket. A separate flag, known at plan time: the log bucket's name may only be known after apply, and count cannot depend on it."
  type        = bool
  default     = false
}

variable "access_log_bucket" {
  description = "Bucket receiving the server access logs (under <bucket>/), when access_logs_enabled."
  type        = string
  default     = null
}

variable "tags" {
  description = "Tags for the bucket."
  type        = map(string)
  default     = {}
}
