variable "bucket" {
  description = "Bucket name."
  type        = string
}

variable "source_bucket_arns" {
  description = "ARNs of the buckets whose server access logs land here."
  type        = list(string)
}

variable "log_delivery_source_arns" {
  description = "ARNs of CloudWatch Logs delivery sources of this account (such as a CloudFront distribution's standard logs v2) that may deliver here."
  type        = list(string)
  default     = []
}

variable "retention_days" {
  description = "Days a log object is kept."
  type        = number
  default     = 400
}

variable "force_destroy" {
  description = "Whether Terraform may delete the bucket with its logs."
  type        = bool
  default     = false
}

variable "tags" {
  description = "Tags for the bucket."
  type        = map(string)
  default     = {}
}
