namespace PainService.Api.Models;

public static class ModelsSetup
{
    public static IServiceCollection AddPainModelRegistry(this IServiceCollection services)
    {
        services.AddOptions<ModelRegistryOptions>().BindConfiguration(ModelRegistryOptions.SectionName);
        services.AddSingleton<ModelRegistry>();
        services.AddSingleton<ModelSwapper>();
        services.AddSingleton<ModelActivator>();
        services.AddSingleton<AuditLog>();
        return services;
    }
}
