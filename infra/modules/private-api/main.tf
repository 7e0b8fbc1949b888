# A private REST API: reachable only through the VPC's execute-api endpoint.
# Route groups exposed privately attach their routes to it by id
# (provider.apiGateway.restApiId); it exists only when one group is private.
data "aws_iam_policy_document" "this" {
  count = var.create ? 1 : 0

  # "execute-api:/*" is API Gateway's form for "every method of this API"; a
  # resource policy cannot name the API's own ARN, which it is part of.
  statement {
    sid       = "AllowInvoke"
    actions   = ["execute-api:Invoke"]
    resources = ["execute-api:/*"]

    principals {
      type        = "*"
      identifiers = ["*"]
    }
  }

  statement {
    sid       = "DenyOutsideVpcEndpoint"
    effect    = "Deny"
    actions   = ["execute-api:Invoke"]
    resources = ["execute-api:/*"]

    principals {
      type        = "*"
      identifiers = ["*"]
    }

    condition {
      test     = "StringNotEquals"
      variable = "aws:SourceVpce"
      values   = var.vpc_endpoint_ids
    }
  }
}

resource "aws_api_gateway_rest_api" "this" {
  count = var.create ? 1 : 0

  name   = var.name
  policy = data.aws_iam_policy_document.this[0].json

  endpoint_configuration {
    types            = ["PRIVATE"]
    vpc_endpoint_ids = var.vpc_endpoint_ids
  }

  # Every payload passes as bytes: a message is archived and answered byte for
  # byte (the functions decode base64 bodies and send XML as base64).
  binary_media_types = ["*/*"]

  tags = var.tags
}

resource "aws_api_gateway_authorizer" "this" {
  count = var.create ? 1 : 0

  name            = "cognito"
  rest_api_id     = aws_api_gateway_rest_api.this[0].id
  type            = "COGNITO_USER_POOLS"
  provider_arns   = [var.user_pool_arn]
  identity_source = "method.request.header.Authorization"
}

# /v1, shared by the routes of every service: Terraform owns it, and each
# service adds its own paths below it (provider.apiGateway.restApiResources).
resource "aws_api_gateway_resource" "this" {
  count = var.create ? 1 : 0

  rest_api_id = aws_api_gateway_rest_api.this[0].id
  parent_id   = aws_api_gateway_rest_api.this[0].root_resource_id
  path_part   = "v1"
}
