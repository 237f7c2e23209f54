// One playground run: validate and build the variant (variantModel), serialise its ONNX graph(s),
// run them with ORT on the chosen backend and summarise (latency, params/MACs by formula, ACBlock's
// train-vs-deploy difference). No DOM: the UI and run requests from the host both go through here.
import { variantCost } from '../../extension/core/convMath';
import type { BackendChoice, PlaygroundParams, RunError, RunSummary, TensorData } from '../../extension/protocol/playgroundMessages';
import { buildOnnxModel } from './onnxGraph';
import { chooseBackend, median, MIN_MEASURED_MS, OrtRunner } from './ortRunner';
import { maxAbsDiff, tensor, type Tensor } from './model/floatTensor';
import type { UserWeights } from './model/userWeights';
import { buildVariantModel, type VariantModel } from './model/variantModel';

export interface RunOutcome {
  readonly summary: RunSummary;
  readonly model: VariantModel;
  readonly input: Tensor;
  readonly output: Tensor;
  /** ACBlock only: the fused deploy form's output. */
  readonly deployOutput: Tensor | null;
}

export type RunResult = { readonly ok: true; readonly outcome: RunOutcome } | { readonly ok: false; readonly error: RunError };

/** Params and MACs by formula (convMath): the training form for ACBlock. */
export function formulaCost(params: PlaygroundParams): { params: number; macs: number } | null {
  const r = variantCost(params.variant, { ...params }, 'train');
  return r.ok && 'cost' in r ? { params: r.cost.params, macs: r.cost.macs } : null;
}

function toData(name: string, t: Tensor): TensorData {
  return { name, dims: [...t.dims], data: Array.from(t.data) };
}

export class PlaygroundEngine {
  private readonly runner = new OrtRunner();

  /**
   * Runs `params` on the `[1, Cin, H, W]` tensor `makeInput` returns. Validation (PyTorch's messages,
   * size limits) happens first: no input is allocated and no ORT code loaded for a rejected configuration.
   * `weights` replaces the seeded weights (loaded for these same `params` by `loadUserWeights`).
   */
  async run(
    params: PlaygroundParams,
    backendChoice: BackendChoice,
    makeInput: () => Tensor | Promise<Tensor>,
    repeats: number,
    includeTensors: boolean,
    weights?: UserWeights,
  ): Promise<RunResult> {
    const built = buildVariantModel(params, weights?.tensors);
    if (!built.ok) return built;
    let input: Tensor;
    try {
      input = await makeInput();
    } catch (e) {
      return {
        ok: false,
        error: {
          stage: 'validation',
          kind: 'Error',
          message: `Could not prepare the input: ${e instanceof Error ? e.message : String(e)}`,
        },
      };
    }
    const { model, inputDims, outputDims } = built;
    const cost = formulaCost(params);
    const { backend, reason } = await chooseBackend(backendChoice);
    // The weights are initializers of the graph: other weights are another session.
    const key = `${JSON.stringify(params)}|${weights?.id ?? 'seeded'}`;
    let stage: RunError['stage'] = 'session';
    try {
      const train = await this.runner.run(
        `${key}|train`,
        backend,
        () => buildOnnxModel(model, inputDims, outputDims, 'train'),
        input.data,
        inputDims,
        repeats,
        MIN_MEASURED_MS,
      );
      stage = 'run';
      const output = tensor(train.dims, train.output);
      let deployOutput: Tensor | null = null;
      if (model.kind === 'acblock') {
        stage = 'session';
        const deploy = await this.runner.run(
          `${key}|deploy`,
          backend,
          () => buildOnnxModel(model, inputDims, outputDims, 'deploy'),
          input.data,
          inputDims,
          1,
        );
        deployOutput = tensor(deploy.dims, deploy.output);
      }
      const tensors = includeTensors
        ? [toData('input', input), toData('output', output), ...(deployOutput ? [toData('deployOutput', deployOutput)] : [])]
        : undefined;
      const summary: RunSummary = {
        variant: params.variant,
        backend,
        backendReason: reason,
        latencyMs: median(train.timingsMs),
        timingsMs: train.timingsMs,
        runs: train.runs,
        measuredMs: train.measuredMs,
        outputDims: [...train.dims],
        params: cost?.params ?? 0,
        macs: cost?.macs ?? 0,
        maxAbsDiff: deployOutput ? maxAbsDiff(output.data, deployOutput.data) : null,
        ...(tensors ? { tensors } : {}),
      };
      return { ok: true, outcome: { summary, model, input, output, deployOutput } };
    } catch (e) {
      return {
        ok: false,
        error: { stage, kind: e instanceof Error ? e.name : 'Error', message: e instanceof Error ? e.message : String(e) },
      };
    }
  }

  dispose(): void {
    this.runner.dispose();
  }
}
