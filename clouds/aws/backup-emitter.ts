/**
 * AWS backup emitter: an S3 bucket as a backup destination (filled by AWS DataSync), and the
 * read-only grants on an S3 bucket as a backup source.
 *
 * Destination children (logical names, `<n>` = component name; names are identity, pinned by tests):
 *   <n>-bucket, <n>-versioning, <n>-object-lock (immutable only), <n>-encryption (SSE-KMS),
 *   <n>-public-access, <n>-tls-only, <n>-lifecycle, <n>-datasync-role, <n>-datasync-access,
 *   <n>-destination-location, <n>-source-location (an Azure Blob source without an agent: a
 *   CloudFormation stack holding the agentless location, see azureBlobLocation), <n>-transfer
 *   (the DataSync task), <n>-alerts (SNS topic), <n>-alerts-policy, <n>-failed-transfers
 *   (EventBridge rule), <n>-failed-transfers-target, <n>-alerts-email (with notification.email only).
 * Source children: web identity: <n>-source-reader (IAM role), <n>-source-read (its policy);
 *   access key: <n>-source-reader (IAM user), <n>-source-read, <n>-source-key (rotated every
 *   ctx.rotation period: replaced, new before old, by the first `pulumi up` of a new period).
 *
 * Invariants: the bucket is never publicly reachable, refuses plain HTTP, and the DataSync role
 * cannot delete (the task preserves deleted files, and overwrites only changed objects, which
 * versioning keeps). Source grants allow List and Get on the source prefix, and kms:Decrypt only
 * through S3 for objects of that prefix (an SSE-KMS source), nothing else.
 */
import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import { asRateExpression } from "../../core/backup/schedule";
import { InternalError } from "../../core/util/errors";
import type { AccessRequest, BackupContext, BackupEmitter, DestinationResult, SourceAccess } from "../../kit/backup/emitter";
import { awsStorage } from "./storage-list-prices";

type Statement = Record<string, unknown>;
const policy = (statements: Statement[]) => ({ Version: "2012-10-17", Statement: statements });

/** List the bucket (under the prefix) and read its objects: all a transfer service needs from a source. */
function readOnlyStatements(bucket: string, prefix: string, region: string): Statement[] {
  const list: Statement = { Sid: "ListSource", Effect: "Allow", Action: ["s3:ListBucket"], Resource: `arn:aws:s3:::${bucket}` };
  if (prefix !== "") list.Condition = { StringLike: { "s3:prefix": [`${prefix}*`] } };
  // GetBucketLocation requests carry no s3:prefix key: under the prefix condition it would be denied.
  const locate: Statement = { Sid: "LocateSource", Effect: "Allow", Action: ["s3:GetBucketLocation"], Resource: `arn:aws:s3:::${bucket}` };
  return [list, locate, { Sid: "ReadSource", Effect: "Allow", Action: ["s3:GetObject"], Resource: `arn:aws:s3:::${bucket}/${prefix}*` }, decryptThroughS3(bucket, prefix, region)];
}

/**
 * GetObject on an SSE-KMS object also needs kms:Decrypt on its key
 * (https://docs.aws.amazon.com/AmazonS3/latest/userguide/UsingKMSEncryption.html#require-sse-kms).
 * The key is not known here, so the grant is scoped instead by how it is used: only through S3 in
 * the source's region (kms:ViaService) and only for this bucket's objects under the prefix (S3's
 * encryption context is the object ARN, or the bucket ARN with an S3 Bucket Key). A key in
 * another account must also allow this principal in its key policy.
 */
function decryptThroughS3(bucket: string, prefix: string, region: string): Statement {
  return {
    Sid: "DecryptSourceThroughS3",
    Effect: "Allow",
    Action: ["kms:Decrypt"],
    Resource: "*",
    Condition: {
      StringEquals: { "kms:ViaService": `s3.${region}.amazonaws.com` },
      StringLike: { "kms:EncryptionContext:aws:s3:arn": [`arn:aws:s3:::${bucket}`, `arn:aws:s3:::${bucket}/${prefix}*`] },
    },
  };
}

function grantRead(ctx: BackupContext, request: AccessRequest): SourceAccess {
  const { name, parent, spec, names, tags } = ctx;
  // The bucket may be another resource's output (ctx.source): the policy follows it.
  const bucket = ctx.source.bucket!;
  const prefix = spec.source.prefix ?? "";
  const opts = { parent };
  const readPolicy = pulumi.output(bucket).apply((b) => JSON.stringify(policy(readOnlyStatements(b, prefix, spec.source.region))));
  if (request.method === "web-identity" && request.federation) {
    const { issuer, subject } = request.federation;
    // Trust exactly one identity of one issuer: the transfer service account, by its subject.
    const role = new aws.iam.Role(
      `${name}-source-reader`,
      {
        name: names.dns(64, "reader"),
        description: pulumi.interpolate`read-only access to s3://${bucket}/${prefix} for the ${name} cross-cloud backup`,
        assumeRolePolicy: subject.apply((sub) =>
          JSON.stringify(
            policy([{ Effect: "Allow", Principal: { Federated: issuer }, Action: "sts:AssumeRoleWithWebIdentity", Condition: { StringEquals: { [`${issuer}:sub`]: sub } } }]),
          ),
        ),
        maxSessionDuration: 3600,
        tags,
      },
      opts,
    );
    const read = new aws.iam.RolePolicy(`${name}-source-read`, { role: role.id, policy: readPolicy }, opts);
    return { method: "web-identity", protocol: "s3", bucket, region: spec.source.region, prefix, roleArn: role.arn, resources: [role, read] };
  }
  if (request.method === "access-key") {
    const user = new aws.iam.User(`${name}-source-reader`, { name: names.dns(64, "reader"), tags }, opts);
    const read = new aws.iam.UserPolicy(`${name}-source-read`, { user: user.name, policy: readPolicy }, opts);
    // Rotated: a new period replaces the key (the new one is created and handed to the transfer
    // before the old one is deleted; an IAM user holds up to two keys).
    const key = new aws.iam.AccessKey(`${name}-source-key`, { user: user.name }, { ...opts, replacementTrigger: ctx.rotation.startsAt });
    return {
      method: "access-key",
      protocol: "s3",
      endpoint: `s3.${spec.source.region}.amazonaws.com`,
      bucket,
      region: spec.source.region,
      prefix,
      accessKeyId: key.id,
      secretAccessKey: pulumi.secret(key.secret),
      resources: [user, read, key],
    };
  }
  throw new InternalError(`an S3 source cannot grant ${request.method} access`);
}

function emitBucket(ctx: BackupContext): aws.s3.Bucket {
  const { name, parent, spec, plan, names, tags, stages } = ctx;
  const region = plan.destination.region;
  const opts = { parent };
  const bucket = new aws.s3.Bucket(
    `${name}-bucket`,
    // Object Lock can only be turned on when a bucket is created.
    { bucket: names.dns(63), region, objectLockEnabled: spec.immutable, forceDestroy: false, tags },
    // A backup outlives its stack: removing the component leaves the bucket and its data...
    { ...opts, retainOnDelete: true },
  );
  // ...and what protects them: deleting these would suspend versioning, drop the default WORM
  // retention, encryption, the public access block and TLS enforcement on the retained bucket.
  const keep = { ...opts, retainOnDelete: true };
  const versioning = new aws.s3.BucketVersioning(`${name}-versioning`, { bucket: bucket.id, region, versioningConfiguration: { status: "Enabled" } }, keep);
  if (spec.immutable) {
    new aws.s3.BucketObjectLockConfiguration(
      `${name}-object-lock`,
      { bucket: bucket.id, region, rule: { defaultRetention: { mode: spec.lockRetention ? "COMPLIANCE" : "GOVERNANCE", days: spec.retentionDays } } },
      { ...keep, dependsOn: [versioning] },
    );
  }
  new aws.s3.BucketServerSideEncryptionConfiguration(
    `${name}-encryption`,
    { bucket: bucket.id, region, rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: spec.encryption?.kmsKeyId }, bucketKeyEnabled: true }] },
    keep,
  );
  const publicAccess = new aws.s3.BucketPublicAccessBlock(
    `${name}-public-access`,
    { bucket: bucket.id, region, blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true },
    keep,
  );
  new aws.s3.BucketPolicy(
    `${name}-tls-only`,
    {
      bucket: bucket.id,
      region,
      policy: bucket.arn.apply((arn) =>
        JSON.stringify(policy([{ Sid: "DenyInsecureTransport", Effect: "Deny", Principal: "*", Action: "s3:*", Resource: [arn, `${arn}/*`], Condition: { Bool: { "aws:SecureTransport": "false" } } }])),
      ),
    },
    { ...keep, dependsOn: [publicAccess] },
  );
  const rules: aws.types.input.s3.BucketLifecycleConfigurationRule[] = [
    { id: "keep-replaced-versions", status: "Enabled", filter: {}, noncurrentVersionExpiration: { noncurrentDays: spec.retentionDays } },
    { id: "abort-incomplete-uploads", status: "Enabled", filter: {}, abortIncompleteMultipartUpload: { daysAfterInitiation: 7 } },
  ];
  if (stages.length > 1) {
    rules.unshift({ id: "tiering", status: "Enabled", filter: {}, transitions: stages.slice(1).map((s) => ({ days: s.fromDay, storageClass: awsStorage.classes[s.tier] })) });
  }
  new aws.s3.BucketLifecycleConfiguration(`${name}-lifecycle`, { bucket: bucket.id, region, rules }, { ...opts, dependsOn: [versioning] });
  return bucket;
}

/** The DataSync location that reads the source, per the kind of access the source granted. */
function sourceLocation(ctx: BackupContext, access: SourceAccess): { arn: pulumi.Output<string>; enhanced: boolean } {
  const { name, parent, plan, tags } = ctx;
  const opts = { parent, dependsOn: access.resources };
  const region = plan.destination.region;
  const subdirectory = `/${access.prefix}`;
  if (access.method === "access-key") {
    // Agentless, so Enhanced mode: "An agent is only required to access storage in other clouds when
    // using Basic mode tasks" (https://docs.aws.amazon.com/datasync/latest/userguide/third-party-cloud-transfer-considerations.html);
    // the other cloud's S3-compatible endpoint over HTTPS, through an object storage location.
    const location = new aws.datasync.LocationObjectStorage(
      `${name}-source-location`,
      { region, serverHostname: access.endpoint, serverProtocol: "HTTPS", serverPort: 443, bucketName: access.bucket, subdirectory, accessKey: access.accessKeyId, secretKey: pulumi.secret(access.secretAccessKey), tags },
      opts,
    );
    return { arn: location.arn, enhanced: true };
  }
  if (access.method === "sas") return azureBlobLocation(ctx, access, opts);
  throw new InternalError(`DataSync cannot read a source granted by ${access.method}`);
}

type SasAccess = Extract<SourceAccess, { method: "sas" }>;

/**
 * The DataSync location of an Azure Blob source.
 *
 * Without `dataSyncAgentArn` (the default): agentless, so the task runs in Enhanced mode
 * (https://docs.aws.amazon.com/datasync/latest/userguide/choosing-task-mode.html). DataSync's API
 * makes AgentArns optional for that ("If you are setting up an agentless cross-cloud transfer, you
 * do not need to specify a value", https://docs.aws.amazon.com/datasync/latest/userguide/API_CreateLocationAzureBlob.html),
 * but the classic provider's `aws.datasync.LocationAzureBlob` still requires `agentArns`: its
 * constructor throws "Missing required property 'agentArns'" (@pulumi/aws 7.48), as the upstream
 * schema says `Required: true` (hashicorp/terraform-provider-aws internal/service/datasync/location_azure_blob.go;
 * open: https://github.com/hashicorp/terraform-provider-aws/issues/43066), and @pulumi/aws-native
 * is not a dependency. CloudFormation's AWS::DataSync::LocationAzureBlob documents AgentArns as
 * optional for agentless transfers and `Fn::GetAtt` LocationArn as a return value
 * (https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-datasync-locationazureblob.html),
 * and `aws.cloudformation.Stack` is in the package we have: a one-resource stack holds the
 * location, the SAS travels as a NoEcho parameter (a Pulumi secret), and the stack's output is the
 * location ARN. A renewed SAS is a parameter change: an in-place stack update.
 *
 * With `dataSyncAgentArn`: the location goes through that agent (Basic mode), as before.
 */
function azureBlobLocation(ctx: BackupContext, access: SasAccess, opts: pulumi.CustomResourceOptions): { arn: pulumi.Output<string>; enhanced: boolean } {
  const { name, spec, plan, names, tags } = ctx;
  const region = plan.destination.region;
  const containerUrl = pulumi.interpolate`https://${access.account}.blob.core.windows.net/${access.container}`;
  const subdirectory = `/${access.prefix}`;
  if (spec.dataSyncAgentArn) {
    const location = new aws.datasync.LocationAzureBlob(
      `${name}-source-location`,
      { region, containerUrl, authenticationType: "SAS", sasConfiguration: pulumi.secret(access.sasToken.apply((token) => ({ token }))), agentArns: [spec.dataSyncAgentArn], subdirectory, tags },
      opts,
    );
    return { arn: location.arn, enhanced: false };
  }
  const stack = new aws.cloudformation.Stack(
    `${name}-source-location`,
    {
      name: names.dns(128, "azure-source"),
      region,
      // jsonStringify: a tag value may be an Output (secret or not); the body follows it.
      templateBody: pulumi.jsonStringify(agentlessAzureBlobTemplate(containerUrl, subdirectory, tags)),
      parameters: pulumi.secret(access.sasToken.apply((token) => ({ SasToken: token }))),
      tags,
    },
    opts,
  );
  return { arn: stack.outputs.apply((o) => o?.LocationArn ?? ""), enhanced: true };
}

/** The CloudFormation template of an agentless Azure Blob location (no AgentArns). */
export function agentlessAzureBlobTemplate(containerUrl: pulumi.Input<string>, subdirectory: string, tags: Record<string, pulumi.Input<string>>): Record<string, unknown> {
  return {
    AWSTemplateFormatVersion: "2010-09-09",
    Description: "Agentless DataSync location of an Azure Blob backup source (pulumi-multicloud CrossCloudBackup)",
    Parameters: { SasToken: { Type: "String", NoEcho: true, Description: "read/list SAS of the source container" } },
    Resources: {
      Location: {
        Type: "AWS::DataSync::LocationAzureBlob",
        Properties: {
          AzureBlobContainerUrl: containerUrl,
          AzureBlobAuthenticationType: "SAS",
          AzureBlobSasConfiguration: { AzureBlobSasToken: { Ref: "SasToken" } },
          Subdirectory: subdirectory,
          Tags: Object.entries(tags).map(([Key, Value]) => ({ Key, Value })),
        },
      },
    },
    Outputs: { LocationArn: { Value: { "Fn::GetAtt": ["Location", "LocationArn"] } } },
  };
}

function emitAlert(ctx: BackupContext, taskArn: pulumi.Output<string>): void {
  const { name, parent, spec, plan, names, tags } = ctx;
  const region = plan.destination.region;
  const opts = { parent };
  const topic = new aws.sns.Topic(`${name}-alerts`, { name: names.dns(256, "alerts"), region, tags }, opts);
  const rule = new aws.cloudwatch.EventRule(
    `${name}-failed-transfers`,
    {
      name: names.dns(64, "failed"),
      region,
      description: `DataSync executions of the ${name} backup that end in ERROR`,
      eventPattern: taskArn.apply((arn) =>
        JSON.stringify({ source: ["aws.datasync"], "detail-type": ["DataSync Task Execution State Change"], resources: [{ prefix: `${arn}/execution/` }], detail: { State: ["ERROR"] } }),
      ),
      tags,
    },
    opts,
  );
  new aws.sns.TopicPolicy(
    `${name}-alerts-policy`,
    {
      arn: topic.arn,
      region,
      policy: pulumi
        .all([topic.arn, rule.arn])
        .apply(([topicArn, ruleArn]) =>
          JSON.stringify(policy([{ Sid: "EventBridgePublishes", Effect: "Allow", Principal: { Service: "events.amazonaws.com" }, Action: "sns:Publish", Resource: topicArn, Condition: { ArnEquals: { "aws:SourceArn": ruleArn } } }])),
        ),
    },
    opts,
  );
  new aws.cloudwatch.EventTarget(`${name}-failed-transfers-target`, { rule: rule.name, arn: topic.arn, region }, opts);
  if (spec.notification) {
    new aws.sns.TopicSubscription(`${name}-alerts-email`, { topic: topic.arn, protocol: "email", endpoint: spec.notification.email, region }, opts);
  }
}

function emitDestination(ctx: BackupContext, access: SourceAccess): DestinationResult {
  const { name, parent, spec, plan, names, tags, schedule } = ctx;
  const region = plan.destination.region;
  const opts = { parent };
  const bucket = emitBucket(ctx);
  const account = aws.getCallerIdentityOutput({}, { parent });
  const role = new aws.iam.Role(
    `${name}-datasync-role`,
    {
      name: names.dns(64, "datasync"),
      description: `DataSync writes the ${name} backup`,
      // Confused-deputy guard: only DataSync acting for this account may assume the role.
      assumeRolePolicy: account.accountId.apply((id) =>
        JSON.stringify(policy([{ Effect: "Allow", Principal: { Service: "datasync.amazonaws.com" }, Action: "sts:AssumeRole", Condition: { StringEquals: { "aws:SourceAccount": id } } }])),
      ),
      tags,
    },
    opts,
  );
  const writePolicy = bucket.arn.apply((arn) => {
    const statements: Statement[] = [
      { Sid: "Bucket", Effect: "Allow", Action: ["s3:GetBucketLocation", "s3:ListBucket", "s3:ListBucketMultipartUploads"], Resource: arn },
      {
        Sid: "Objects",
        Effect: "Allow",
        Action: ["s3:AbortMultipartUpload", "s3:GetObject", "s3:GetObjectTagging", "s3:ListMultipartUploadParts", "s3:PutObject", "s3:PutObjectTagging"],
        Resource: `${arn}/*`,
      },
    ];
    if (spec.encryption?.kmsKeyId) statements.push({ Sid: "Key", Effect: "Allow", Action: ["kms:Decrypt", "kms:GenerateDataKey"], Resource: spec.encryption.kmsKeyId });
    return JSON.stringify(policy(statements));
  });
  const writeAccess = new aws.iam.RolePolicy(`${name}-datasync-access`, { role: role.id, policy: writePolicy }, opts);
  const destination = new aws.datasync.S3Location(
    `${name}-destination-location`,
    { region, s3BucketArn: bucket.arn, subdirectory: `/${access.prefix}`, s3Config: { bucketAccessRoleArn: role.arn }, tags },
    { ...opts, dependsOn: [writeAccess] },
  );
  const source = sourceLocation(ctx, access);
  const task = new aws.datasync.Task(
    `${name}-transfer`,
    {
      name: names.dns(256),
      region,
      sourceLocationArn: source.arn,
      destinationLocationArn: destination.arn,
      taskMode: source.enhanced ? "ENHANCED" : "BASIC",
      options: {
        // Verify every file transferred. A whole-destination check (POINT_IN_TIME_CONSISTENT) cannot
        // read objects the lifecycle has moved to Glacier / Deep Archive, so it would fail once they age.
        verifyMode: "ONLY_FILES_TRANSFERRED",
        // Never copy object tags. DataSync reads GCS through the S3 API, and copying object tags
        // from it may fail the task (https://docs.aws.amazon.com/datasync/latest/userguide/troubleshooting-tasks.html#troubleshoot-object-tags-google-cloud-storage;
        // other clouds: creating-other-cloud-object-location.html#other-cloud-considerations-object-tags);
        // reading Azure blob index tags needs the SAS's "t" permission, and the source SAS grants
        // read and list only (least privilege: the backup copies data, not tags).
        objectTags: "NONE",
        transferMode: "CHANGED",
        overwriteMode: "ALWAYS",
        preserveDeletedFiles: "PRESERVE",
      },
      schedule: { scheduleExpression: asRateExpression(schedule) },
      tags,
    },
    opts,
  );
  emitAlert(ctx, task.arn);
  return { bucket: bucket.bucket, url: pulumi.interpolate`s3://${bucket.bucket}/${access.prefix}`, transferJobId: task.arn, followUp: pulumi.output([]) };
}

export const awsBackupEmitter: BackupEmitter = {
  provider: "aws",
  accessRequest: (_ctx, sourceProvider) => {
    // DataSync reads GCS through its S3-compatible API (an HMAC key) and Azure Blob with a SAS.
    if (sourceProvider === "azure") return { method: "sas" };
    return { method: "access-key" };
  },
  grantRead,
  emitDestination,
};
