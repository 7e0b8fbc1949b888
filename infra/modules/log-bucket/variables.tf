variable "bucket" {
  description = "Bucket name."
  type        = string
}

variable "source_bucket_arns" {
  description = "ARNs of the buckets whose server access logs land here."
  type        = list(string)
}

variable "log_delivery_regions" {
  description = "Regions whose CloudWatch Logs deliveries of this account (vended logs, such as CloudFront's standard logs v2, set up in us-east-1) may write here; empty for none."
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
