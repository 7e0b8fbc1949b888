variable "name" {
  description = "Cluster name."
  type        = string
}

variable "subnet_ids" {
  description = "Private subnets of the cluster, in at least two availability zones."
  type        = list(string)
}

variable "security_group_ids" {
  description = "Security groups of the cluster's endpoints (and of Lambda's event source mappings)."
  type        = list(string)
}

variable "tags" {
  description = "Tags for the cluster."
  type        = map(string)
  default     = {}
}
