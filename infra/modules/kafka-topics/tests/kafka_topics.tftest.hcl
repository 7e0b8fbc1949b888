# The topic function: deployed in the VPC, invoked with the map, allowed to
# manage only the map's topics; "*" only where Lambda's network interfaces need it.

mock_provider "aws" {
  mock_data "aws_iam_policy_document" {
    defaults = {
      json = "{\"Version\":\"2012-10-17\",\"Statement\":[]}"
    }
  }
  mock_resource "aws_iam_role" {
    defaults = {
      arn = "arn:aws:iam::111122223333:role/mxflow-test-kafka-topics"
    }
  }
  mock_resource "aws_cloudwatch_log_group" {
    defaults = {
      arn = "arn:aws:logs:eu-west-1:111122223333:log-group:/aws/lambda/mxflow-test-kafka-topics"
    }
  }
}

variables {
  name = "mxflow-test-kafka-topics"
  # Only the zip's hash is read here (the mock provider uploads nothing): any file will do.
  function_zip       = "main.tf"
  cluster_arn        = "arn:aws:kafka:eu-west-1:111122223333:cluster/mxflow-test/0a1b2c3d-0000-0000-0000-000000000000-s1"
  bootstrap_brokers  = "boot-a.mxflow-test.kafka-serverless.eu-west-1.amazonaws.com:9098"
  subnet_ids         = ["subnet-a", "subnet-b"]
  security_group_ids = ["sg-functions"]
  topics = {
    "incoming.pacs.008"     = { partitions = 6 }
    "incoming.pacs.008.dlq" = { partitions = 1, config = { "retention.ms" = "1209600000" } }
  }
}

run "invokes_the_function_with_the_topic_map" {
  assert {
    condition     = jsondecode(aws_lambda_invocation.this.input).topics["incoming.pacs.008"].partitions == 6
    error_message = "The invocation does not carry the map's partition count."
  }
  assert {
    condition     = jsondecode(aws_lambda_invocation.this.input).topics["incoming.pacs.008.dlq"].config["retention.ms"] == "1209600000"
    error_message = "The invocation does not carry the map's topic configs."
  }
  assert {
    condition     = jsondecode(aws_lambda_invocation.this.input).replicationFactor == 3
    error_message = "The invocation does not carry the replication factor."
  }
  assert {
    condition     = aws_lambda_invocation.this.triggers.code == aws_lambda_function.this.source_code_hash
    error_message = "A new function code would not run the function again."
  }
  assert {
    condition     = sort(keys(jsondecode(output.lambda_invocation_input).topics)) == tolist(["incoming.pacs.008", "incoming.pacs.008.dlq"])
    error_message = "The invocation's topics are not the map's."
  }
}

run "runs_in_the_vpc_with_iam_auth" {
  assert {
    condition     = toset(aws_lambda_function.this.vpc_config[0].subnet_ids) == toset(var.subnet_ids) && toset(aws_lambda_function.this.vpc_config[0].security_group_ids) == toset(var.security_group_ids)
    error_message = "The function does not run in the given subnets and security groups."
  }
  assert {
    condition     = aws_lambda_function.this.environment[0].variables.KAFKA_AUTH == "iam" && aws_lambda_function.this.environment[0].variables.KAFKA_BROKERS == var.bootstrap_brokers
    error_message = "The function does not sign in to the cluster's IAM brokers."
  }
}

run "may_manage_only_the_maps_topics" {
  assert {
    condition = toset(one([for statement in data.aws_iam_policy_document.this.statement : statement.resources if statement.sid == "ManageTheMapsTopics"])) == toset([
      "arn:aws:kafka:eu-west-1:111122223333:topic/mxflow-test/0a1b2c3d-0000-0000-0000-000000000000-s1/incoming.pacs.008",
      "arn:aws:kafka:eu-west-1:111122223333:topic/mxflow-test/0a1b2c3d-0000-0000-0000-000000000000-s1/incoming.pacs.008.dlq",
    ])
    error_message = "The function may manage topics outside the map."
  }
  assert {
    condition     = !anytrue([for statement in data.aws_iam_policy_document.this.statement : anytrue([for action in statement.actions : can(regex("Delete(Topic|Group)|^kafka-cluster:\\*$", action))])])
    error_message = "The function may delete topics."
  }
  assert {
    condition     = [for statement in data.aws_iam_policy_document.this.statement : statement.sid if contains(statement.resources, "*")] == ["VpcNetworkInterfaces"]
    error_message = "A statement other than the listed VpcNetworkInterfaces grants \"*\"."
  }
}

run "refuses_a_topic_without_partitions" {
  command = plan

  variables {
    topics = { "incoming.pacs.008" = { partitions = 0 } }
  }

  expect_failures = [var.topics]
}
