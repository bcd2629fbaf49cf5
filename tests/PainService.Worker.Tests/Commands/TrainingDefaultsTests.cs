using PainService.Worker.Commands;
using PainService.Worker.Datasets;
using PainService.Worker.Training;

namespace PainService.Worker.Tests.Commands;

/// <summary>The defaults of sft and train are the paper's (spec §6.1–§6.3), as the command line resolves them.</summary>
public sealed class TrainingDefaultsTests
{
    [Fact]
    public void TrainDefaultsAreThePapersStageTwoSettings()
    {
        var train = WorkerCommands.All().Single(c => c.Name == "train").Parse(["--dataset", "/d", "--out", "/o"]);

        Assert.Empty(train.Errors);
        Assert.Equal(64, train.GetValue<int>("--batch-size"));          // §6.3 batch 64
        Assert.Equal(1e-4, train.GetValue<double>("--lr"));             // §6.3 LR 1e-4
        Assert.Equal(5e-4, train.GetValue<double>("--weight-decay"));   // §6.1 AdamW weight decay 5e-4
        Assert.Equal(20, train.GetValue<int>("--epochs"));              // §6.1 cosine horizon E = 20
        Assert.Null(train.GetValue<int?>("--stop-after"));              // the whole horizon unless asked (the paper stopped at 8, Q6)
        Assert.Equal(0, train.GetValue<int>("--seed"));                 // §6.1 seed 0
        Assert.Equal(CropMode.Legacy, train.GetValue<CropMode>("--crop")); // §3.2 the authors' top-left crop (Q1)
        Assert.False(train.GetValue<bool>("--no-flip"));                // §3.2 flip on
        Assert.Equal(0.4, train.GetValue<double>("--jitter"));          // §3.2 ColorJitter 0.4
        Assert.Equal(WeightSource.Computed, train.GetValue<WeightSource>("--weights"));

        var options = TrainingOptions.ForPain("/d", "/o");
        Assert.Equal((64, 1e-4, 5e-4, 20, 0), (options.BatchSize, options.LearningRate, options.WeightDecay, options.Epochs, options.Seed));
        Assert.Equal((0.9, 0.999, 1e-8), (options.Beta1, options.Beta2, options.Eps)); // §6.1 AdamW betas and eps
    }

    [Fact]
    public void SftDefaultsAreThePapersStageOneSettings()
    {
        var sft = WorkerCommands.All().Single(c => c.Name == "sft").Parse(["--dataset", "/d", "--out", "/o"]);

        Assert.Empty(sft.Errors);
        Assert.Equal(16, sft.GetValue<int>("--batch-size"));    // §6.2 batch 16
        Assert.Equal(1e-5, sft.GetValue<double>("--lr"));       // §6.2 LR 1e-5
        Assert.Equal(5e-4, sft.GetValue<double>("--weight-decay"));
        Assert.Equal(20, sft.GetValue<int>("--epochs"));        // §6.2 horizon 20 (the paper selected epoch 17)

        var options = TrainingOptions.ForSft("/d", "/o");
        Assert.Equal((16, 1e-5, 5e-4, 20), (options.BatchSize, options.LearningRate, options.WeightDecay, options.Epochs));
    }
}
