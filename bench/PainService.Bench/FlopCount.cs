using PainService.Model;

namespace PainService.Bench;

/// <summary>
/// Multiply-adds of one image, counted layer by layer from the architecture (a multiply-add = 2 FLOP). The
/// backbone is torchvision's ResNet-50 v1.5 (stride on the 3×3 conv); the head is what GraphAU-Pain adds on top.
/// Element-wise work (BN, ReLU, pooling, residual adds) is left out, as FLOP counts for CNNs conventionally do.
/// </summary>
internal static class FlopCount
{
    public static double Backbone(GraphAuConfig config)
    {
        long side = config.InputSize;
        double flops = 0;
        long Conv(long cin, long cout, long k, long stride, long pad)
        {
            side = (side + 2 * pad - k) / stride + 1;
            flops += 2.0 * cin * cout * k * k * side * side;
            return cout;
        }

        var width = (long)config.StemWidth;
        Conv(3, width, 7, 2, 3);
        side = (side + 2 - 3) / 2 + 1; // max pool 3×3 / 2
        long inplanes = width;
        int[] blocks = [3, 4, 6, 3];
        for (var stage = 0; stage < 4; stage++)
        {
            var planes = width << stage;
            for (var b = 0; b < blocks[stage]; b++)
            {
                var stride = b == 0 && stage > 0 ? 2 : 1;
                Conv(inplanes, planes, 1, 1, 0);
                Conv(planes, planes, 3, stride, 1);
                Conv(planes, planes * 4, 1, 1, 0);
                if (b == 0) // the shortcut's strided 1×1 conv, at the block's output resolution
                    flops += 2.0 * inplanes * planes * 4 * side * side;
                inplanes = planes * 4;
            }
        }
        return flops;
    }

    /// <summary>global_linear and the 8 per-AU LinearBlocks act on every one of the P tokens; the rest is per image.</summary>
    public static double Head(GraphAuConfig config)
    {
        double p = config.PositionCount, c = config.BackboneChannels, d = config.NodeDim, j = config.AuCount, w = config.FusionWidth;
        var perToken = c * d + j * d * d + c * w;             // global_linear, class_linears, fc_bb
        var perImage = 2 * d * d + j * w + d * w + 2 * w * config.ClassCount + p * w; // gnn U,V; fc_au; fc_pe; fc; bmm
        return 2 * (p * perToken + perImage);
    }
}
