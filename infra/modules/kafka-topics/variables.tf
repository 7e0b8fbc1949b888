variable "topics" {
  description = "Topics by name: partition count, and topic configs (retention.ms, cleanup.policy, ...). The function creates the missing ones and raises partition counts; it never deletes a topic or lowers a count."
  type = map(object({
    partitions = number
    config     = optional(map(string), {})
  }))

  validation {
    condition     = alltrue([for topic in values(var.topics) : topic.partitions >= 1 && floor(topic.partitions) == topic.partitions])
    error_message = "Every topic has a whole number of partitions, at least 1."
  }
}

variable "replication_factor" {
  description = "Replicas per partition. MSK Serverless takes 3."
  type        = number
  default     = 3
}

variable "name" {
  description = "Name of the function, its role and its log group."
  type        = string
}

variable "function_zip" {
  description = "Path of the function's zip, built by pnpm package (packages/kafka-topics/dist/kafka-topics.zip)."
  type        = string
}

variable "cluster_arn" {
  description = "ARN of the MSK cluster; the function may manage only the map's topics on it."
  type        = string
}

variable "bootstrap_brokers" {
  description = "Bootstrap brokers for IAM auth (port 9098), comma-separated."
  type        = string
}

variable "subnet_ids" {
  description = "Private subnets the function runs in: those of the cluster."
  type        = list(string)
}

variable "security_group_ids" {
  description = "Security groups of the function: one that reaches the brokers on 9098."
  type        = list(string)
}

variable "log_retention_days" {
  description = "Days the function's logs (its reports) are kept."
  type        = number
  default     = 90
}

variable "tags" {
  description = "Tags for the function, its role and its log group."
  type        = map(string)
  default     = {}
}
