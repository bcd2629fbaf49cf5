using Microsoft.OpenApi;
using PainService.Api.Predictions;
using PainService.Api.Security;

namespace PainService.Api.OpenApi;

/// <summary>
/// The OpenAPI document comes from Microsoft.AspNetCore.OpenApi (<c>/openapi/v1.json</c>); Swagger UI
/// (Swashbuckle.AspNetCore.SwaggerUI, UI only) renders it at <c>/swagger</c>. The full Swashbuckle package is
/// not used: its Microsoft.OpenApi dependency conflicts with Microsoft.AspNetCore.OpenApi's.
/// </summary>
public static class OpenApiSetup
{
    public const string DocumentPath = "/openapi/v1.json";

    public static IServiceCollection AddPainOpenApi(this IServiceCollection services)
    {
        services.AddOpenApi(options =>
        {
            options.AddDocumentTransformer((document, _, _) =>
            {
                document.Info.Title = "PainService";
                document.Info.Description = "Pain estimation from face photos with GraphAU-Pain. Errors are RFC 7807 "
                    + "problem+json with a stable `code` member. The embedded default model is an UNTRAINED reference "
                    + "model (model.trained=false): not for clinical use. Calls need an API key in the X-Api-Key header "
                    + "(Swagger UI: Authorize).";
                document.Components ??= new OpenApiComponents();
                document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
                document.Components.SecuritySchemes[ApiKeyAuthenticationHandler.SchemeName] = new OpenApiSecurityScheme
                {
                    Type = SecuritySchemeType.ApiKey,
                    In = ParameterLocation.Header,
                    Name = ApiKeyAuthenticationHandler.HeaderName,
                    Description = "An API key with the predict role (admin for model management).",
                };
                return Task.CompletedTask;
            });
            options.AddOperationTransformer((operation, context, _) =>
            {
                if (context.Description.ActionDescriptor.EndpointMetadata.OfType<Microsoft.AspNetCore.Authorization.IAuthorizeData>().Any())
                    operation.Security = [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(ApiKeyAuthenticationHandler.SchemeName, context.Document)] = [] }];
                var upload = context.Description.ActionDescriptor.EndpointMetadata.OfType<ImageUploadMetadata>().FirstOrDefault();
                if (upload is not null)
                    operation.RequestBody = upload.MultiFrame ? FramesUploadBody() : ImageUploadBody();
                return Task.CompletedTask;
            });
        });
        return services;
    }

    public static WebApplication MapPainOpenApi(this WebApplication app)
    {
        app.MapOpenApi(DocumentPath);
        app.UseSwaggerUI(ui =>
        {
            ui.RoutePrefix = "swagger";
            ui.SwaggerEndpoint(DocumentPath, "PainService v1");
            ui.DocumentTitle = "PainService";
        });
        return app;
    }

    /// <summary>Frames: any field names (the ids). Swagger UI shows two named pickers; other clients may send more.</summary>
    private static OpenApiRequestBody FramesUploadBody()
    {
        OpenApiSchema File(string description) => new() { Type = JsonSchemaType.String, Format = "binary", Description = description };
        return new OpenApiRequestBody
        {
            Required = true,
            Description = "One file part per frame; the field name is the frame id (here frame1, frame2 as examples).",
            Content = new Dictionary<string, OpenApiMediaType>
            {
                ["multipart/form-data"] = new()
                {
                    Schema = new OpenApiSchema
                    {
                        Type = JsonSchemaType.Object,
                        Properties = new Dictionary<string, IOpenApiSchema>
                        {
                            ["frame1"] = File("A frame; its id is the field name."),
                            ["frame2"] = File("Another frame."),
                        },
                        AdditionalProperties = File("Further frames, any field name."),
                    },
                },
            },
        };
    }

    /// <summary>The handler reads the body itself; this tells clients (and Swagger UI's file picker) its shapes.</summary>
    private static OpenApiRequestBody ImageUploadBody()
    {
        var binary = new OpenApiSchema { Type = JsonSchemaType.String, Format = "binary" };
        return new OpenApiRequestBody
        {
            Required = true,
            Description = "A face photo: JPEG, PNG, WebP, BMP or GIF (first frame).",
            Content = new Dictionary<string, OpenApiMediaType>
            {
                ["multipart/form-data"] = new()
                {
                    Schema = new OpenApiSchema
                    {
                        Type = JsonSchemaType.Object,
                        Required = new HashSet<string> { ImageUploadReader.FieldName },
                        Properties = new Dictionary<string, IOpenApiSchema>
                        {
                            [ImageUploadReader.FieldName] = new OpenApiSchema
                            {
                                Type = JsonSchemaType.String, Format = "binary", Description = "The photo file.",
                            },
                        },
                    },
                },
                ["image/*"] = new() { Schema = binary },
                ["application/octet-stream"] = new() { Schema = binary },
            },
        };
    }
}
