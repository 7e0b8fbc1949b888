variable "name_prefix" {
  description = "Prefix of every resource name, e.g. mxflow-prod."
  type        = string
}

variable "stage" {
  description = "Stage name; SSM parameters live under /mxflow/<stage>/."
  type        = string
}

variable "archive_retention_days" {
  description = "Object Lock retention of archived messages, in days."
  type        = number
  default     = 3650
}

variable "kafka_replication_factor" {
  description = "Replicas per Kafka partition."
  type        = number
  default     = 3
}

variable "tags" {
  description = "Tags for every resource."
  type        = map(string)
  default     = {}
}
