output "s3_bucket_id" {
  description = "Name of the bucket the site's files are uploaded to."
  value       = aws_s3_bucket.this.id
}

output "s3_bucket_arn" {
  description = "ARN of the bucket."
  value       = aws_s3_bucket.this.arn
}

output "cloudfront_distribution_id" {
  description = "ID of the distribution (for cache invalidations)."
  value       = aws_cloudfront_distribution.this.id
}

output "cloudfront_distribution_arn" {
  description = "ARN of the distribution."
  value       = aws_cloudfront_distribution.this.arn
}

output "cloudfront_distribution_domain_name" {
  description = "The distribution's *.cloudfront.net name: the site's host without a custom domain, the DNS alias target with one."
  value       = aws_cloudfront_distribution.this.domain_name
}

output "cloudfront_distribution_hosted_zone_id" {
  description = "Route 53 zone of the distribution's name, for an alias record of the custom domain."
  value       = aws_cloudfront_distribution.this.hosted_zone_id
}

output "cloudwatch_log_delivery_source_arn" {
  description = "ARN of the log delivery source of the distribution (the log bucket's policy names it), or null without access logs."
  value       = one(aws_cloudwatch_log_delivery_source.this[*].arn)
}
