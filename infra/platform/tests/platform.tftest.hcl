# The platform as a stage composes it, planned against mocked AWS providers:
# every SSM parameter a service reads is written, every consumer group of the
# services is watched, and the topic function gets the whole topic map.

mock_provider "aws" {
  mock_data "aws_iam_policy_document" {
    defaults = {
      json = "{\"Version\":\"2012-10-17\",\"Statement\":[]}"
    }
  }
}

mock_provider "aws" {
  alias = "us_east_1"
}

variables {
  name_prefix        = "mxflow-test"
  stage              = "test"
  region             = "eu-west-1"
  availability_zones = ["eu-west-1a", "eu-west-1b", "eu-west-1c"]
  # Only the zip's hash is read here (the mock provider uploads nothing): any file will do.
  kafka_topics_function_zip = "main.tf"
  participants = {
    "ent-alpha" = { name = "Alpha Bank AG", clients = ["2026-01"], https_endpoints = ["https://alpha.example/notifications"] }
  }
  operator = { entity_id = "ent-operator", name = "operator", bic = "MXFLLULLXXX", clients = ["2026-01"] }
}

run "writes_every_ssm_parameter_a_service_reads" {
  command = plan

  assert {
    condition = length(setsubtract(
      toset(flatten([
        for file in concat(["../../packages/runtime/serverless/shared.yml"], [for service in fileset("../../services", "*/serverless.yml") : "../../services/${service}"]) :
        # A read with a fallback (`${ssm:…, ''}`) is optional: the next run checks those.
        [for match in regexall("\\$\\{ssm:/mxflow/\\$\\{sls:stage\\}/([^},]+)\\}", file(file)) : "/mxflow/test/${match[0]}"]
      ])),
      toset(output.ssm_parameter_names),
    )) == 0
    error_message = "A service reads an SSM parameter that Terraform does not write."
  }
  assert {
    condition     = contains(output.ssm_parameter_names, "/mxflow/test/table/transaction") && contains(output.ssm_parameter_names, "/mxflow/test/kafka/bootstrap-brokers-iam")
    error_message = "The services' core parameters are missing."
  }
}

# With a private route group, the optional reads (the private REST API's ids) are written too.
run "writes_the_private_api_parameters_when_a_group_is_private" {
  command = plan

  variables {
    route_groups = { messages = "public", transactions = "public", admin = "private" }
  }

  assert {
    condition = length(setsubtract(
      toset(flatten([
        for file in concat(["../../packages/runtime/serverless/shared.yml"], [for service in fileset("../../services", "*/serverless.yml") : "../../services/${service}"]) :
        [for match in regexall("\\$\\{ssm:/mxflow/\\$\\{sls:stage\\}/([^},]+)(?:,[^}]*)?\\}", file(file)) : "/mxflow/test/${match[0]}"]
      ])),
      toset(output.ssm_parameter_names),
    )) == 0
    error_message = "With a private route group, a service reads an SSM parameter that Terraform does not write."
  }
}

run "watches_every_consumer_group_of_the_services" {
  command = plan

  assert {
    condition = length(setsubtract(
      toset(flatten([
        for service in fileset("../../services", "*/serverless.yml") :
        [for match in regexall("consumerGroupId:\\s*['\"]?([A-Za-z0-9._-]+)", file("../../services/${service}")) : match[0]]
      ])),
      toset(keys(var.consumer_groups)),
    )) == 0
    error_message = "A service's consumer group has no lag alarm (var.consumer_groups)."
  }
}

run "hands_the_whole_topic_map_to_the_topic_function" {
  command = plan

  assert {
    condition     = jsondecode(module.kafka_topics.lambda_invocation_input).topics["incoming.pacs.008"].partitions == 6 && jsondecode(module.kafka_topics.lambda_invocation_input).replicationFactor == var.kafka_replication_factor
    error_message = "The topic function does not get the map's partitions and replication factor."
  }
  assert {
    condition     = alltrue([for group, topic in var.consumer_groups : contains(keys(jsondecode(module.kafka_topics.lambda_invocation_input).topics), topic)])
    error_message = "A consumer group reads a topic the map does not create."
  }
  assert {
    condition     = alltrue([for topic in keys(jsondecode(module.kafka_topics.lambda_invocation_input).topics) : can(regex("\\.dlq$", topic)) || contains(keys(jsondecode(module.kafka_topics.lambda_invocation_input).topics), "${topic}.dlq")])
    error_message = "A topic has no dead-letter topic."
  }
}
