namespace PainService.Worker.Synthetic;

/// <summary>
/// Size and shape of a synthetic UNBC-layout dataset. The defaults are small enough for CI (6 subjects × 60 frames)
/// while keeping UNBC's skew: mostly no-pain frames, fewer mild, a small obvious class (UNBC itself is
/// 82.7 / 15.4 / 1.8 %; the obvious share is raised so a 360-frame set still has a few dozen examples).
/// </summary>
public sealed record SynthOptions
{
    public int Subjects { get; init; } = 6;

    public int FramesPerSubject { get; init; } = 60;

    public int SequencesPerSubject { get; init; } = 2;

    public int Folds { get; init; } = 3;

    public int Seed { get; init; }

    public double NoPainShare { get; init; } = 0.70;

    public double ObviousShare { get; init; } = 0.08;

    public void Validate()
    {
        if (Subjects < 2 || Subjects > 900)
            throw new ArgumentOutOfRangeException(nameof(Subjects), Subjects, "2–900 subjects");
        if (FramesPerSubject < 1 || SequencesPerSubject < 1 || SequencesPerSubject > FramesPerSubject)
            throw new ArgumentOutOfRangeException(nameof(FramesPerSubject), FramesPerSubject, "at least one frame per sequence");
        if (Folds < 2 || Folds > Subjects)
            throw new ArgumentOutOfRangeException(nameof(Folds), Folds, "2 ≤ folds ≤ subjects (each fold tests on other subjects)");
        if (NoPainShare <= 0 || ObviousShare <= 0 || NoPainShare + ObviousShare >= 1)
            throw new ArgumentOutOfRangeException(nameof(NoPainShare), "class shares must be positive and leave room for mild pain");
    }
}
