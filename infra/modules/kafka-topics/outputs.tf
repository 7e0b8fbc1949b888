output "lambda_invocation_input" {
  description = "The JSON the function is invoked with: the topic map (topics, known at plan time) and the replication factor."
  value       = aws_lambda_invocation.this.input
}

output "lambda_function_function_name" {
  description = "Name of the topic function, to invoke it again (docs/deploy.md)."
  value       = aws_lambda_function.this.function_name
}

output "lambda_invocation_result" {
  description = "What the last run did: JSON with created, raised, unchanged and notLowered topics."
  value       = aws_lambda_invocation.this.result
}
