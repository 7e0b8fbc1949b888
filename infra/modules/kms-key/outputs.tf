output "kms_key_arn" {
  description = "ARN of the key."
  value       = aws_kms_key.this.arn
}

output "kms_key_key_id" {
  description = "ID of the key."
  value       = aws_kms_key.this.key_id
}

output "kms_alias_name" {
  description = "Alias of the key, alias/<name>."
  value       = aws_kms_alias.this.name
}
