variable "topics" {
  description = "Topics by name: partition count, and topic configs (retention.ms, cleanup.policy, ...)."
  type = map(object({
    partitions = number
    config     = optional(map(string), {})
  }))
}

variable "replication_factor" {
  description = "Replicas per partition. MSK with three brokers takes 3."
  type        = number
  default     = 3
}
