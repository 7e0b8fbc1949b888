output "vpc_id" {
  description = "ID of the VPC."
  value       = aws_vpc.this.id
}

output "subnet_ids" {
  description = "IDs of the private subnets."
  value       = [for subnet in aws_subnet.this : subnet.id]
}

output "security_group_ids" {
  description = "Security group IDs by role: functions, endpoints, kafka."
  value       = { for role, group in aws_security_group.this : role => group.id }
}

output "vpc_endpoint_ids" {
  description = "VPC endpoint IDs by service."
  value       = { for service, endpoint in aws_vpc_endpoint.this : service => endpoint.id }
}
