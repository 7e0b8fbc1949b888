output "msk_serverless_cluster_arn" {
  description = "ARN of the cluster, arn:<partition>:kafka:<region>:<account>:cluster/<name>/<uuid>."
  value       = aws_msk_serverless_cluster.this.arn
}

output "msk_serverless_cluster_cluster_uuid" {
  description = "UUID of the cluster, part of its topic and group ARNs."
  value       = aws_msk_serverless_cluster.this.cluster_uuid
}

output "msk_serverless_cluster_bootstrap_brokers_sasl_iam" {
  description = "Bootstrap brokers for IAM auth (port 9098), comma-separated."
  value       = aws_msk_serverless_cluster.this.bootstrap_brokers_sasl_iam
}
