# The topics are made inside the VPC, by a function Terraform deploys in the
# private subnets and invokes with the topic map: whoever runs terraform apply
# needs AWS credentials only, never a route to the brokers. The function
# (packages/kafka-topics) creates the missing topics and raises partition
# counts; it never deletes a topic or lowers a count.

locals {
  # IAM names a topic arn:…:topic/<cluster>/<uuid>/<topic>.
  topic_arn_prefix = replace(var.cluster_arn, ":cluster/", ":topic/")
}

resource "aws_iam_role" "this" {
  name = var.name
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { Service = "lambda.amazonaws.com" }, Action = "sts:AssumeRole" }]
  })
  tags = var.tags
}

data "aws_iam_policy_document" "this" {
  statement {
    sid       = "ConnectToCluster"
    actions   = ["kafka-cluster:Connect", "kafka-cluster:DescribeCluster"]
    resources = [var.cluster_arn]
  }

  statement {
    sid = "ManageTheMapsTopics"
    actions = [
      "kafka-cluster:CreateTopic",
      "kafka-cluster:DescribeTopic",
      "kafka-cluster:AlterTopic",
    ]
    resources = [for name in sort(keys(var.topics)) : "${local.topic_arn_prefix}/${name}"]
  }

  statement {
    sid       = "WriteItsLogs"
    actions   = ["logs:CreateLogStream", "logs:PutLogEvents"]
    resources = ["${aws_cloudwatch_log_group.this.arn}:*"]
  }

  statement {
    sid = "VpcNetworkInterfaces"
    actions = [
      "ec2:CreateNetworkInterface",
      "ec2:DescribeNetworkInterfaces",
      "ec2:DeleteNetworkInterface",
      "ec2:AssignPrivateIpAddresses",
      "ec2:UnassignPrivateIpAddresses",
    ]
    resources = ["*"] # Lambda manages interfaces that don't exist yet; EC2's Describe actions take no narrower resource.
  }
}

resource "aws_iam_role_policy" "this" {
  name   = "kafka-topics"
  role   = aws_iam_role.this.id
  policy = data.aws_iam_policy_document.this.json
}

resource "aws_cloudwatch_log_group" "this" {
  name              = "/aws/lambda/${var.name}"
  retention_in_days = var.log_retention_days
  tags              = var.tags
}

resource "aws_lambda_function" "this" {
  function_name    = var.name
  description      = "Creates the Kafka topics of the platform's topic map; invoked by Terraform"
  role             = aws_iam_role.this.arn
  filename         = var.function_zip
  source_code_hash = filebase64sha256(var.function_zip)
  handler          = "index.handler"
  runtime          = "nodejs22.x"
  architectures    = ["arm64"]
  memory_size      = 256
  timeout          = 120

  vpc_config {
    subnet_ids         = var.subnet_ids
    security_group_ids = var.security_group_ids
  }

  environment {
    variables = {
      KAFKA_BROKERS = var.bootstrap_brokers
      KAFKA_AUTH    = "iam"
    }
  }

  tags = var.tags

  # The role must allow the network interfaces and the logs before Lambda uses them.
  depends_on = [aws_iam_role_policy.this, aws_cloudwatch_log_group.this]
}

# Runs on create, and again whenever the map or the function's code changes
# (a new input or trigger replaces it). A failed run fails the apply.
resource "aws_lambda_invocation" "this" {
  function_name = aws_lambda_function.this.function_name
  input = jsonencode({
    topics            = var.topics
    replicationFactor = var.replication_factor
  })

  triggers = {
    code = aws_lambda_function.this.source_code_hash
  }
}
