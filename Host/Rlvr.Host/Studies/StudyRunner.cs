// A study: the base run (pretrain + evaluate), then every arm under "Arms", each in its own host so that its
// components and options are its own, each starting from the base or from the arm it names in Train:From.
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Rlvr.Host.Configuration;
using Rlvr.Host.Runs;
using Rlvr.Host.Training;

namespace Rlvr.Host.Studies;

/// <summary>The base run and every arm's result, in the order they ran.</summary>
public sealed record StudyResult(PipelineResult Base, IReadOnlyList<ArmResult> Arms);

/// <summary>Runs a whole study on the calling thread.</summary>
public sealed class StudyRunner(RlvrHostBuilder builder)
{
    /// <summary>The arms in an order where every arm runs after the arm it starts from.</summary>
    /// <exception cref="ConfigurationErrorsException">An arm starts from an unknown arm, or the arms start from each other in a cycle.</exception>
    public IReadOnlyList<string> ArmsInOrder()
    {
        var from = builder.Configuration.GetSection(RlvrHostBuilder.ArmsSection).GetChildren().ToDictionary(
            arm => arm.Key,
            arm => RlvrHostBuilder.ArmConfiguration(builder.Configuration, arm.Key)[$"{TrainOptions.Section}:{nameof(TrainOptions.From)}"] ?? RunPaths.BaseArm);
        var errors = from.Where(p => p.Value != RunPaths.BaseArm && !from.ContainsKey(p.Value))
            .Select(p => $"{RlvrHostBuilder.ArmsSection}:{p.Key}:{TrainOptions.Section}:{nameof(TrainOptions.From)} = '{p.Value}': no such arm; use \"{RunPaths.BaseArm}\" or one of {string.Join(", ", from.Keys)}")
            .Concat(from.Keys.Where(k => k == RunPaths.BaseArm).Select(k => $"{RlvrHostBuilder.ArmsSection}:{k}: \"{RunPaths.BaseArm}\" is the pretrained model's name; call the arm something else"))
            .ToList();
        if (errors.Count > 0) throw new ConfigurationErrorsException(errors);

        var order = new List<string>();
        while (order.Count < from.Count)
        {
            var ready = from.Keys.Where(a => !order.Contains(a) && (from[a] == RunPaths.BaseArm || order.Contains(from[a]))).ToList();
            if (ready.Count == 0)
                throw new ConfigurationErrorsException($"{RlvrHostBuilder.ArmsSection}: the arms {string.Join(", ", from.Keys.Except(order))} start from each other in a cycle");
            order.AddRange(ready);
        }
        return order;
    }

    /// <summary>Every configuration error of the study, the base's and each arm's (prefixed by the arm), at once.</summary>
    public IReadOnlyList<string> Validate(IHost root)
    {
        var errors = root.Services.GetRequiredService<ConfigurationValidator>().Validate().ToList();
        IReadOnlyList<string> arms;
        try
        {
            arms = ArmsInOrder();
        }
        catch (ConfigurationErrorsException e)
        {
            return [.. errors, .. e.Errors];
        }
        foreach (var arm in arms)
        {
            using var host = builder.BuildArm(arm);
            var armErrors = host.Services.GetRequiredService<ConfigurationValidator>().Validate();
            errors.AddRange(armErrors.Where(e => !errors.Contains(e)).Select(e => $"{RlvrHostBuilder.ArmsSection}:{arm} → {e}"));
        }
        return errors;
    }

    /// <summary>Runs the base, then each arm.</summary>
    public StudyResult Run(IHost root)
    {
        var errors = Validate(root);
        if (errors.Count > 0) throw new ConfigurationErrorsException(errors);
        var baseline = root.Services.GetRequiredService<PipelineRunner>().Run();
        var results = new List<ArmResult>();
        foreach (var arm in ArmsInOrder())
        {
            using var host = builder.BuildArm(arm);
            string from = host.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<TrainOptions>>().Value.From;
            string start = from == RunPaths.BaseArm ? baseline.ModelPath : results.Single(r => r.Arm == from).ModelPath;
            results.Add(host.Services.GetRequiredService<ArmRunner>().Run(arm, baseline, start));
        }
        return new StudyResult(baseline, results);
    }
}
