module multicloud-go

go 1.22

require (
	github.com/pulumi-multicloud/pulumi-multicloud/sdk/go/multicloud v0.1.0
	github.com/pulumi/pulumi/sdk/v3 v3.248.0
)

// The SDK `pulumi package add ../..` generated (the schema's language.go.importBasePath).
replace github.com/pulumi-multicloud/pulumi-multicloud/sdk/go/multicloud => ./sdks/multicloud
