# Shared infrastructure of one mxflow stage. The local cloud provisions its
# tables, bucket, topics and scopes from this file too, so keep module
# arguments literal (or built from var.name_prefix): the local reader
# evaluates only those.

module "mapping_table" {
  source = "../modules/dynamodb-table"

  name       = "${var.name_prefix}-mapping"
  hash_key   = "clientId"
  attributes = [{ name = "clientId", type = "S" }, { name = "entityId", type = "S" }]
  global_secondary_indexes = [
    { name = "byEntity", hash_key = "entityId" },
  ]
  tags = var.tags

  kms_key_arn = module.data_key.kms_key_arn
}

module "entity_table" {
  source = "../modules/dynamodb-table"

  name       = "${var.name_prefix}-entity"
  hash_key   = "entityId"
  attributes = [{ name = "entityId", type = "S" }, { name = "bic", type = "S" }]
  global_secondary_indexes = [
    { name = "byBic", hash_key = "bic" },
  ]
  tags = var.tags

  kms_key_arn = module.data_key.kms_key_arn
}

module "transaction_table" {
  source = "../modules/dynamodb-table"

  name      = "${var.name_prefix}-transaction"
  hash_key  = "transactionId"
  range_key = "step"
  attributes = [
    { name = "transactionId", type = "S" },
    { name = "step", type = "S" },
    { name = "senderEntity", type = "S" },
    { name = "receiverEntity", type = "S" },
    { name = "createdKey", type = "S" },
    { name = "openKey", type = "S" },
    { name = "deadlineKey", type = "S" },
    { name = "refUetr", type = "S" },
    { name = "refEndToEndId", type = "S" },
    { name = "refMsgId", type = "S" },
  ]
  # Only the STATE item of a transaction has createdKey, so bySender and
  # byReceiver hold one item per transaction; openKey is set only while the
  # transaction is not final, so byOpenAge holds the open ones by deadline
  # (the timeout sweep). The ref* attributes (`<msgType>#<id>`) find the
  # transaction a return, cancellation or status request refers to.
  global_secondary_indexes = [
    { name = "bySender", hash_key = "senderEntity", range_key = "createdKey" },
    { name = "byReceiver", hash_key = "receiverEntity", range_key = "createdKey" },
    { name = "byOpenAge", hash_key = "openKey", range_key = "deadlineKey", projection_type = "KEYS_ONLY" },
    { name = "byUetr", hash_key = "refUetr", range_key = "createdKey", projection_type = "KEYS_ONLY" },
    { name = "byEndToEndId", hash_key = "refEndToEndId", range_key = "createdKey", projection_type = "KEYS_ONLY" },
    { name = "byMsgId", hash_key = "refMsgId", range_key = "createdKey", projection_type = "KEYS_ONLY" },
  ]
  tags = var.tags

  kms_key_arn = module.data_key.kms_key_arn
}

module "liquidity_table" {
  source = "../modules/dynamodb-table"

  name       = "${var.name_prefix}-liquidity"
  hash_key   = "entityId"
  range_key  = "entry"
  attributes = [{ name = "entityId", type = "S" }, { name = "entry", type = "S" }]
  tags       = var.tags

  kms_key_arn = module.data_key.kms_key_arn
}

# Powertools idempotency records: attribute names are its defaults.
module "idempotency_table" {
  source = "../modules/dynamodb-table"

  name          = "${var.name_prefix}-idempotency"
  hash_key      = "id"
  attributes    = [{ name = "id", type = "S" }]
  ttl_attribute = "expiration"
  tags          = var.tags

  kms_key_arn = module.data_key.kms_key_arn
}

# Usage per participant and window (archive bytes per hour); items expire.
module "usage_table" {
  source = "../modules/dynamodb-table"

  name          = "${var.name_prefix}-usage"
  hash_key      = "id"
  attributes    = [{ name = "id", type = "S" }]
  ttl_attribute = "expiration"
  tags          = var.tags

  kms_key_arn = module.data_key.kms_key_arn
}

# Records a consumer gave up on (`<topic>.dlq` keeps them too), and the
# attempts of records still being retried; attempt items expire.
module "deadletter_table" {
  source = "../modules/dynamodb-table"

  name          = "${var.name_prefix}-deadletter"
  hash_key      = "id"
  attributes    = [{ name = "id", type = "S" }, { name = "kind", type = "S" }, { name = "failedAt", type = "S" }]
  ttl_attribute = "expiration"
  global_secondary_indexes = [
    { name = "byFailedAt", hash_key = "kind", range_key = "failedAt" },
  ]
  tags = var.tags

  kms_key_arn = module.data_key.kms_key_arn
}

# Every change made through the admin API: who, when, what, before and after.
module "audit_table" {
  source = "../modules/dynamodb-table"

  name       = "${var.name_prefix}-audit"
  hash_key   = "subject"
  range_key  = "entry"
  attributes = [{ name = "subject", type = "S" }, { name = "entry", type = "S" }, { name = "kind", type = "S" }]
  global_secondary_indexes = [
    { name = "byTime", hash_key = "kind", range_key = "entry" },
  ]
  tags = var.tags

  kms_key_arn = module.data_key.kms_key_arn
}

module "archive_bucket" {
  source = "../modules/archive-bucket"

  bucket         = "${var.name_prefix}-archive"
  retention_mode = "COMPLIANCE"
  retention_days = var.archive_retention_days
  tags           = var.tags

  kms_key_arn         = module.archive_key.kms_key_arn
  access_logs_enabled = true
  access_log_bucket   = module.access_logs.s3_bucket_id
}

module "notification_topic" {
  source = "../modules/notification-topic"

  name = "${var.name_prefix}-notifications"
  tags = var.tags

  kms_master_key_id = module.messaging_key.kms_key_arn
  subscriptions     = local.subscriptions
}

module "api_auth" {
  source = "../modules/api-auth"

  name                       = "${var.name_prefix}-participants"
  domain                     = "${var.name_prefix}-auth"
  resource_server_identifier = "payments"
  resource_server_name       = "mxflow payments API"
  scopes = [
    { name = "write", description = "Submit payment messages" },
    { name = "read", description = "Read transaction status and messages" },
    { name = "admin", description = "Manage participants and mappings" },
  ]
  tags = var.tags

  clients = merge(local.clients, {
    for name, client in local.console_clients : name => {
      scopes  = client.scopes
      sign_in = { callback_urls = [local.console_redirect_uri], logout_urls = [local.console_redirect_uri] }
    }
  })
  groups = var.console_enabled ? merge(
    { for entity_id, participant in var.participants : entity_id => "People who act for ${coalesce(participant.name, entity_id)} in the console" },
    var.operator == null ? {} : { (var.operator.entity_id) = "People who act for the platform operator in the console" },
  ) : {}
}

# incoming.<msgType> feeds the message-type service; outgoing.<msgType> feeds
# the outgoing service; <topic>.dlq takes what the topic's consumer gave up on.
# A function in the VPC applies this map on MSK (modules/kafka-topics); the
# local cloud creates the same topics on its broker.
module "kafka_topics" {
  source = "../modules/kafka-topics"

  name               = "${var.name_prefix}-kafka-topics"
  function_zip       = var.kafka_topics_function_zip
  cluster_arn        = module.kafka_cluster.msk_serverless_cluster_arn
  bootstrap_brokers  = module.kafka_cluster.msk_serverless_cluster_bootstrap_brokers_sasl_iam
  subnet_ids         = module.network.subnet_ids
  security_group_ids = [module.network.security_group_ids["functions"]]
  tags               = var.tags

  replication_factor = var.kafka_replication_factor
  topics = {
    "incoming.pacs.008"     = { partitions = 6 }
    "incoming.pacs.004"     = { partitions = 3 }
    "incoming.pacs.028"     = { partitions = 3 }
    "incoming.camt.056"     = { partitions = 3 }
    "incoming.pain.001"     = { partitions = 3 }
    "incoming.camt.060"     = { partitions = 3 }
    "incoming.pain.013"     = { partitions = 3 }
    "incoming.pain.014"     = { partitions = 3 }
    "outgoing.pacs.002"     = { partitions = 6 }
    "outgoing.pacs.008"     = { partitions = 6 }
    "outgoing.pacs.004"     = { partitions = 3 }
    "outgoing.camt.029"     = { partitions = 3 }
    "outgoing.pain.002"     = { partitions = 3 }
    "outgoing.camt.052"     = { partitions = 3 }
    "outgoing.camt.053"     = { partitions = 3 }
    "outgoing.camt.054"     = { partitions = 3 }
    "outgoing.pain.013"     = { partitions = 3 }
    "outgoing.pain.014"     = { partitions = 3 }
    "incoming.pacs.008.dlq" = { partitions = 1, config = { "retention.ms" = "1209600000" } }
    "incoming.pacs.004.dlq" = { partitions = 1, config = { "retention.ms" = "1209600000" } }
    "incoming.pacs.028.dlq" = { partitions = 1, config = { "retention.ms" = "1209600000" } }
    "incoming.camt.056.dlq" = { partitions = 1, config = { "retention.ms" = "1209600000" } }
    "incoming.pain.001.dlq" = { partitions = 1, config = { "retention.ms" = "1209600000" } }
    "incoming.camt.060.dlq" = { partitions = 1, config = { "retention.ms" = "1209600000" } }
    "incoming.pain.013.dlq" = { partitions = 1, config = { "retention.ms" = "1209600000" } }
    "incoming.pain.014.dlq" = { partitions = 1, config = { "retention.ms" = "1209600000" } }
    "outgoing.pacs.002.dlq" = { partitions = 1, config = { "retention.ms" = "1209600000" } }
    "outgoing.pacs.008.dlq" = { partitions = 1, config = { "retention.ms" = "1209600000" } }
    "outgoing.pacs.004.dlq" = { partitions = 1, config = { "retention.ms" = "1209600000" } }
    "outgoing.camt.029.dlq" = { partitions = 1, config = { "retention.ms" = "1209600000" } }
    "outgoing.pain.002.dlq" = { partitions = 1, config = { "retention.ms" = "1209600000" } }
    "outgoing.camt.052.dlq" = { partitions = 1, config = { "retention.ms" = "1209600000" } }
    "outgoing.camt.053.dlq" = { partitions = 1, config = { "retention.ms" = "1209600000" } }
    "outgoing.camt.054.dlq" = { partitions = 1, config = { "retention.ms" = "1209600000" } }
    "outgoing.pain.013.dlq" = { partitions = 1, config = { "retention.ms" = "1209600000" } }
    "outgoing.pain.014.dlq" = { partitions = 1, config = { "retention.ms" = "1209600000" } }
  }
}

# Services read what Terraform made from these parameters.
resource "aws_ssm_parameter" "this" {
  for_each = {
    "table/mapping"       = module.mapping_table.dynamodb_table_name
    "table/entity"        = module.entity_table.dynamodb_table_name
    "table/transaction"   = module.transaction_table.dynamodb_table_name
    "table/liquidity"     = module.liquidity_table.dynamodb_table_name
    "table/idempotency"   = module.idempotency_table.dynamodb_table_name
    "table/usage"         = module.usage_table.dynamodb_table_name
    "table/deadletter"    = module.deadletter_table.dynamodb_table_name
    "table/audit"         = module.audit_table.dynamodb_table_name
    "bucket/archive"      = module.archive_bucket.s3_bucket_id
    "topic/notifications" = module.notification_topic.sns_topic_arn
    "auth/issuer"         = "https://${module.api_auth.cognito_user_pool_endpoint}"
    "auth/user-pool-id"   = module.api_auth.cognito_user_pool_id
  }

  name  = "/mxflow/${var.stage}/${each.key}"
  type  = "String"
  value = each.value
  tags  = var.tags
}
