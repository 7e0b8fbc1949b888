# A key policy may name only its own key, as "*": these statements are the
# listed exceptions to the no-wildcard rule, and nothing else grants "*".

mock_provider "aws" {
  # The policy document's JSON is what the provider would render; the
  # assertions read the statements themselves.
  mock_data "aws_iam_policy_document" {
    defaults = {
      json = "{\"Version\":\"2012-10-17\",\"Statement\":[]}"
    }
  }
}

variables {
  alias              = "alias/mxflow-test-data"
  description        = "test key"
  region             = "eu-west-1"
  via_services       = ["dynamodb", "s3"]
  service_principals = ["cloudwatch.amazonaws.com"]
}

run "grants_the_key_only_through_listed_statements" {
  assert {
    condition = toset([for statement in data.aws_iam_policy_document.this.statement : statement.sid if contains(statement.resources, "*")]) == toset([
      "AccountAdministersKey", "UseThroughServices", "ServicesPublishEncrypted",
    ])
    error_message = "A key policy statement with resource \"*\" is not one of the listed exceptions."
  }
  assert {
    condition = alltrue([
      for statement in data.aws_iam_policy_document.this.statement :
      statement.sid != "UseThroughServices" || anytrue([for condition in statement.condition : condition.variable == "kms:ViaService"])
    ])
    error_message = "Principals may use the key outside the listed services."
  }
}
