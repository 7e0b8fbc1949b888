# Private subnets only: no internet gateway and no NAT. Functions reach AWS
# APIs through the VPC endpoints below and MSK inside the VPC.
resource "aws_vpc" "this" {
  cidr_block           = var.cidr_block
  enable_dns_support   = true
  enable_dns_hostnames = true # private DNS names of the interface endpoints
  tags                 = merge(var.tags, { Name = var.name })
}

resource "aws_subnet" "this" {
  for_each = { for index, zone in var.availability_zones : zone => index }

  vpc_id                  = aws_vpc.this.id
  availability_zone       = each.key
  cidr_block              = cidrsubnet(var.cidr_block, 4, each.value)
  map_public_ip_on_launch = false
  tags                    = merge(var.tags, { Name = "${var.name}-private-${each.key}" })
}

resource "aws_route_table" "this" {
  vpc_id = aws_vpc.this.id
  tags   = merge(var.tags, { Name = "${var.name}-private" })
}

resource "aws_route_table_association" "this" {
  for_each = aws_subnet.this

  subnet_id      = each.value.id
  route_table_id = aws_route_table.this.id
}

# functions: the Lambda functions; endpoints: the interface endpoints;
# kafka: the MSK cluster, and the ENIs of Lambda's MSK event source mappings,
# which use the cluster's security group.
resource "aws_security_group" "this" {
  for_each = toset(["functions", "endpoints", "kafka"])

  name        = "${var.name}-${each.key}"
  description = "mxflow ${each.key}"
  vpc_id      = aws_vpc.this.id
  tags        = merge(var.tags, { Name = "${var.name}-${each.key}" })
}

locals {
  endpoint_types = merge(
    { for service in var.gateway_endpoint_services : service => "Gateway" },
    { for service in var.interface_endpoint_services : service => "Interface" },
  )

  # Every rule names its peer once: another group, a CIDR block, or the
  # prefix list of a gateway endpoint. MSK with IAM auth listens on 9098; the
  # event source mappings need the Lambda and STS endpoints, so the kafka
  # group reaches the endpoints too.
  rules = merge(
    {
      "endpoints-from-functions" = { group = "endpoints", direction = "ingress", port = 443, peer = "functions", cidr = null, prefix_list = null }
      "endpoints-from-kafka"     = { group = "endpoints", direction = "ingress", port = 443, peer = "kafka", cidr = null, prefix_list = null }
      "kafka-from-functions"     = { group = "kafka", direction = "ingress", port = 9098, peer = "functions", cidr = null, prefix_list = null }
      "kafka-from-kafka"         = { group = "kafka", direction = "ingress", port = 9098, peer = "kafka", cidr = null, prefix_list = null }
      "functions-to-endpoints"   = { group = "functions", direction = "egress", port = 443, peer = "endpoints", cidr = null, prefix_list = null }
      "functions-to-kafka"       = { group = "functions", direction = "egress", port = 9098, peer = "kafka", cidr = null, prefix_list = null }
      "kafka-to-endpoints"       = { group = "kafka", direction = "egress", port = 443, peer = "endpoints", cidr = null, prefix_list = null }
      "kafka-to-kafka"           = { group = "kafka", direction = "egress", port = 9098, peer = "kafka", cidr = null, prefix_list = null }
    },
    {
      for index, cidr in var.kafka_client_cidr_blocks :
      "kafka-from-cidr-${index}" => { group = "kafka", direction = "ingress", port = 9098, peer = null, cidr = cidr, prefix_list = null }
    },
    # Gateway endpoints (S3, DynamoDB) are reached through their prefix lists.
    {
      for service in var.gateway_endpoint_services :
      "functions-to-${service}" => { group = "functions", direction = "egress", port = 443, peer = null, cidr = null, prefix_list = service }
    },
  )
}

resource "aws_vpc_security_group_ingress_rule" "this" {
  for_each = { for key, rule in local.rules : key => rule if rule.direction == "ingress" }

  security_group_id            = aws_security_group.this[each.value.group].id
  ip_protocol                  = "tcp"
  from_port                    = each.value.port
  to_port                      = each.value.port
  referenced_security_group_id = each.value.peer == null ? null : aws_security_group.this[each.value.peer].id
  cidr_ipv4                    = each.value.cidr
  description                  = each.key
}

resource "aws_vpc_security_group_egress_rule" "this" {
  for_each = { for key, rule in local.rules : key => rule if rule.direction == "egress" }

  security_group_id            = aws_security_group.this[each.value.group].id
  ip_protocol                  = "tcp"
  from_port                    = each.value.port
  to_port                      = each.value.port
  referenced_security_group_id = each.value.peer == null ? null : aws_security_group.this[each.value.peer].id
  prefix_list_id               = each.value.prefix_list == null ? null : aws_vpc_endpoint.this[each.value.prefix_list].prefix_list_id
  description                  = each.key
}

resource "aws_vpc_endpoint" "this" {
  for_each = local.endpoint_types

  vpc_id              = aws_vpc.this.id
  service_name        = "com.amazonaws.${var.region}.${each.key}"
  vpc_endpoint_type   = each.value
  route_table_ids     = each.value == "Gateway" ? [aws_route_table.this.id] : null
  subnet_ids          = each.value == "Interface" ? [for subnet in aws_subnet.this : subnet.id] : null
  security_group_ids  = each.value == "Interface" ? [aws_security_group.this["endpoints"].id] : null
  private_dns_enabled = each.value == "Interface" ? true : null
  tags                = merge(var.tags, { Name = "${var.name}-${each.key}" })
}
