output "s3_bucket_id" {
  description = "Name of the bucket the site's files are uploaded to, or null when the site is not created."
  value       = try(aws_s3_bucket.this[0].id, null)
}

output "s3_bucket_arn" {
  description = "ARN of the bucket, or null."
  value       = try(aws_s3_bucket.this[0].arn, null)
}

output "cloudfront_distribution_id" {
  description = "ID of the distribution (for cache invalidations), or null."
  value       = try(aws_cloudfront_distribution.this[0].id, null)
}

output "cloudfront_distribution_arn" {
  description = "ARN of the distribution, or null."
  value       = try(aws_cloudfront_distribution.this[0].arn, null)
}

output "cloudfront_distribution_domain_name" {
  description = "The distribution's *.cloudfront.net name: the site's host without a custom domain, the DNS alias target with one."
  value       = try(aws_cloudfront_distribution.this[0].domain_name, null)
}

output "cloudfront_distribution_hosted_zone_id" {
  description = "Route 53 zone of the distribution's name, for an alias record of the custom domain."
  value       = try(aws_cloudfront_distribution.this[0].hosted_zone_id, null)
}

output "cloudwatch_log_delivery_source_arn" {
  description = "ARN of the log delivery source of the distribution (in us-east-1), or null without access logs."
  value       = one(aws_cloudwatch_log_delivery_source.this[*].arn)
}

output "cloudfront_distribution_url" {
  description = "URL of the site, https://<domain_name or the distribution's name>/, or null."
  value       = var.domain_name != null ? "https://${var.domain_name}/" : try("https://${aws_cloudfront_distribution.this[0].domain_name}/", null)
}
