variable "name" {
  description = "Name of the VPC, and prefix of its subnets and security groups."
  type        = string
}

variable "region" {
  description = "Region of the VPC; endpoint service names are com.amazonaws.<region>.<service>."
  type        = string
}

variable "cidr_block" {
  description = "CIDR block of the VPC; each private subnet takes a /4 slice of it."
  type        = string
  default     = "10.40.0.0/16"
}

variable "availability_zones" {
  description = "Availability zones, one private subnet each. MSK Serverless needs at least two."
  type        = list(string)

  validation {
    condition     = length(var.availability_zones) >= 2
    error_message = "MSK Serverless needs subnets in at least two availability zones."
  }
}

variable "gateway_endpoint_services" {
  description = "Services reached through gateway endpoints (free): dynamodb, s3."
  type        = list(string)
  default     = ["dynamodb", "s3"]
}

variable "interface_endpoint_services" {
  description = "Services reached through interface endpoints, so that no function needs a NAT gateway."
  type        = list(string)
}

variable "kafka_client_cidr_blocks" {
  description = "CIDR blocks outside the VPC that may reach the brokers on 9098 (a VPN for operators' tools). Deploying needs none: the topics are made by a function inside the VPC."
  type        = list(string)
  default     = []
}

variable "tags" {
  description = "Tags for every resource."
  type        = map(string)
  default     = {}
}
