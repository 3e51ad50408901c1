"""The lessons. Every number a caption quotes that is not a setting or a source's own claim
is a template field filled from the lesson's experiment (``digit-descent lesson NAME
--headless``) on the full data, as recorded in figures.json; ``bench/captions.py`` compares
them with a fresh run."""

from ..config import preset
from . import activations as act
from . import chain_rule, logistic, universal
from . import experiments as ex
from .captions import recorded_figures
from .lesson import Lesson, Stage, measured

# The texts the lessons follow (the seeds, 000–004, and the lectures they build on).
GRADIENT_DESCENT = "3Blue1Brown, Gradient descent, how neural networks learn (chapter 2)"  # 000
LOGISTIC = ("From logistic regression to neural networks "
            "(github.com/mrdragonbear/Neural-Networks)")  # 001
ML4A = "ml4a, Looking inside neural nets"  # 002
CHAIN_RULE = ("zhyuzh3d's notes on 3Blue1Brown's backpropagation calculus (chapter 4), "
              "jianshu.com")  # 003
TRASK = ("Andrew Trask, A Neural Network in 11 lines of Python, as David Code's beginner's "
         "guide to AI tells it")  # 004
BACKPROPAGATION = "3Blue1Brown, What is backpropagation really doing? (chapter 3)"

_3B1B = preset("3b1b")
BALL_PACE = 6  # ball steps per second: a few seconds of rolling while the caption is read
FIRST_EPOCH_PACE = 200  # mini-batches of 10 per second: 3b1b's first epoch in 30 s
TRASK_PACE = 800  # full-batch iterations per second: Trask's 60,000 in 75 s

_LESSONS = (
    Lesson(
        "descent", "Gradient descent: rolling downhill into a minimum", GRADIENT_DESCENT, _3B1B,
        (Stage("Training is rolling downhill: each step moves against the slope, by the "
               "learning rate times the slope. In a round bowl every ball, wherever it starts, "
               "ends at the one lowest point.",
               panels=("surface",), surface="bowl", ball_pace=BALL_PACE,
               balls=tuple((x, y, ex.DESCENT_LR) for x, y in ex.DESCENT_STARTS)),
         Stage("A bumpy bowl has several valleys. The same seven balls end in "
               "{bumpy_minima} different minima, and most of them are not the lowest: "
               "gradient descent finds a local minimum, the one downhill from where it starts.",
               panels=("surface",), surface="bumpy", ball_pace=BALL_PACE,
               balls=tuple((x, y, ex.DESCENT_LR) for x, y in ex.DESCENT_STARTS))),
        ex.descent),
    Lesson(
        "learning-rate", "Learning rate: too small, right, too large", LOGISTIC,
        _3B1B.replace(lr=0.01, epochs=2),
        (Stage("Three balls with η = 0.03, 0.7 and 2.05 (R replays them). The small step "
               "crawls, the middle one lands in the bottom in a few steps, the large one "
               "overshoots the bottom further at every step and flies off.",
               panels=("surface",), surface="bowl", balls=ex.RATE_BALLS, ball_pace=BALL_PACE),
         Stage("Now the real 784-16-16-10 network, 2 epochs at η = 0.01: the cost falls fast, "
               "then flattens, and the accuracy stays low: {test_accuracy_by_lr.0.01:.0%} of "
               "the test digits after 2 epochs (measured; chance is 10%).",
               panels=("cost", "weights"), train_to=2),
         Stage("The same initial weights at η = 1: {test_accuracy_by_lr.1:.0%} after 2 "
               "epochs. The faint curve is the η = 0.01 run.",
               panels=("cost", "weights"), restart={"lr": 1.0}, ghost="η = 0.01", train_to=2),
         Stage("η = 100: the first steps drive every sigmoid neuron into saturation, where "
               "the slope is zero, and learning stops: stuck at "
               "{test_accuracy_by_lr.100:.0%} (it always answers the same digit).",
               panels=("cost", "weights"), restart={"lr": 100.0}, ghost="η = 1", train_to=2)),
        ex.learning_rate),
    Lesson(
        "logistic", "Logistic regression: one neuron, one feature, an exact cost surface",
        LOGISTIC, _3B1B,
        (Stage("The seed predicts heart disease from the heart rate; we have no such data, so "
               "a real task of the same shape: is this digit a 1 (not a 0), from its ink? "
               "P(1) = σ(β₀ + β₁·ink). Drag β₀: the curve slides (its middle is at −β₀/β₁). "
               "Drag β₁: steeper, flatter, or turned round when negative.",
               panels=(), show="logistic"),
         Stage("Right: the cost (cross-entropy) over every (β₀, β₁), exact, on all "
               "{images:,} training zeros and ones. From β = (3, 3), cost {start_cost:.2f}, "
               "the ball rolls down and the curve fits itself: after {steps} steps β₀ = "
               "{beta0:.2f}, β₁ = {beta1:.2f}, cost {cost:.3f}, {accuracy:.1%} of the test "
               "zeros and ones read right.",
               panels=(), show="logistic-descent"),
         Stage("A network is such units side by side: each hidden neuron is a logistic "
               "regression on the layer before, its weights the β₁s and its bias the β₀. Two "
               "of them, one minus the other, already make a bump, which no single S-curve "
               "can; the universal-approximation lesson adds many.",
               panels=(), show="universal-fit")),
        logistic.logistic),
    Lesson(
        "3b1b", "3Blue1Brown's network: 784-16-16-10, 13,002 weights and biases",
        GRADIENT_DESCENT, _3B1B,
        (Stage("784 pixels in, two hidden layers of 16 sigmoid neurons, 10 outputs: "
               "{parameters:,} weights and biases, all random at the start. Watch the cost "
               "fall during the first epoch (slowed down to be watched; stage 2 runs flat "
               "out).",
               panels=("cost", "weights"), train_to=1, pace=FIRST_EPOCH_PACE),
         Stage("After 10 epochs: {test_accuracy:.2%} of the 10,000 test digits. The lecture "
               "says about 96%; plain sigmoid neurons with the squared-error cost top out "
               "near 95% at this size.",
               panels=("cost", "weights", "confusion"), train_to=10)),
        ex.three_blue_one_brown),
    Lesson(
        "activations", "Activation functions: sigmoid, tanh, ReLU, one change at a time",
        LOGISTIC, _3B1B,
        (Stage("The activation decides how much a neuron fires. Sigmoid's slope is at most "
               "{max_slope.sigmoid:.2f}, tanh's {max_slope.tanh:.0f}, ReLU's {max_slope.relu:.0f} "
               "for every positive input: backpropagation multiplies by these slopes. "
               "First the 3b1b network with sigmoid neurons, 10 epochs.",
               panels=("cost", "confusion"), train_to=10, show="activation-curves"),
         Stage("The same seed and settings, tanh neurons (faint: sigmoid): "
               "{test_accuracy.tanh:.1%} against {test_accuracy.sigmoid:.1%}.",
               panels=("cost", "confusion"), restart={"activation": "tanh"}, ghost="sigmoid",
               train_to=10, show="activation-curves"),
         Stage("ReLU neurons (faint: tanh): {test_accuracy.relu:.1%}, then training stops in "
               "epoch {stopped_in_epoch.relu}: every output neuron's z is driven hundreds from "
               "0, where the sigmoid is flat, so with squared error the gradient is exactly "
               "zero. Only the hidden activation changed (ReLU's first weights: the same draw "
               "scaled by √2), but η = 1 and squared error suit sigmoid: the tweaks lesson "
               "gives ReLU settings of its own.",
               panels=("cost", "confusion"), restart={"activation": "relu"}, ghost="tanh",
               train_to=10, show="activation-curves")),
        act.activations),
    Lesson(
        "tweaks", "From 95% to 98%: what each change buys", GRADIENT_DESCENT, _3B1B,
        (Stage("The baseline: 3Blue1Brown's network, sigmoid neurons, squared error, plain "
               "gradient descent: {rungs.0.test_accuracy:.1%} after 10 epochs.",
               panels=("cost", "confusion"), train_to=10),
         Stage("Same 784-16-16-10 shape with ReLU neurons, softmax + cross-entropy and momentum "
               "(faint: the baseline): {rungs.1.test_accuracy:.1%}. Better learning, same "
               "small network. The faint cost is squared error, the bright one cross-entropy: "
               "two different costs on one axis, so compare the accuracies, not the heights.",
               panels=("cost", "confusion"), ghost="sigmoid + squared error",
               restart=preset("3b1b-tweaked").to_dict(), train_to=20),
         Stage("The rest comes from size: 784-256-128-10 ({rungs.2.parameters:,} weights and "
               "biases) with Adam, trained on shifted and rotated digits: "
               "{rungs.2.test_accuracy:.1%} of the test digits. The shipped model is such a "
               "network, trained with Adam (the controls show its settings): draw a digit "
               "on the pad.",
               panels=("confusion", "pad"), show="model strong")),
        ex.tweaks),
    Lesson(
        "templates", "No hidden layer: the weights become digit templates", ML4A,
        preset("templates"),
        (Stage("784 inputs straight to 10 outputs. Each output's 784 weights, drawn as a "
               "28×28 picture, become a blurry template of its digit.",
               panels=("weights", "cost"), train_to=1),
         Stage("After 10 epochs: {test_accuracy:.1%} (ml4a reports about 90%). Yellow pixels "
               "vote for the digit, blue ones against it.",
               panels=("weights", "confusion"), train_to=10),
         Stage("Its most common confusion: a {confusion.actual} read as a {confusion.read_as} "
               "({confusion.images} of {confusion.of:,}). The thumbnails are the ones it is "
               "most sure of: the templates overlap.",
               panels=("confusion", "weights"), show="cell {confusion.actual} {confusion.read_as}")),
        ex.templates),
    Lesson(
        "hidden10", "A hidden layer of ten neurons", ML4A, ex.HIDDEN10_CONFIG,
        (Stage("784-10-10: ten hidden neurons between the pixels and the answers, trained "
               "exactly like the templates (same cost, η, weight decay, epochs, seed). Their "
               "weights are no longer digit templates but strokes and blobs.",
               panels=("weights", "cost"), train_to=3),
         Stage("Click a hidden neuron to see the images that excite it most and its outgoing "
               "weights to each digit. One change, the hidden layer: {test_accuracy:.1%} "
               "against {no_hidden_test_accuracy:.1%} without it.",
               panels=("weights", "confusion"), train_to=10)),
        ex.hidden_ten),
    Lesson(
        "universal", "Universal approximation: adding up sigmoids, and depth against width",
        LOGISTIC, _3B1B,
        (Stage("Two sigmoids, one minus the other, make a bump; bumps side by side make any "
               "curve. One hidden layer fits the curve: below, each neuron's v·σ(wx + b); "
               "their sum plus a bias is the fit. Mean squared error with 1, 2, 4, 16 neurons: "
               "{fit_error.1:.3f}, {fit_error.2:.3f}, {fit_error.4:.4f}, {fit_error.16:.1e}.",
               panels=(), show="universal-fit"),
         Stage("Depth against width on a two-armed spiral, the same budget of weights and "
               "biases. 42: one layer ({spiral.tight_wide.layers}) reads "
               "{spiral.tight_wide.test_accuracy:.1%} of fresh points, two "
               "({spiral.tight_deep.layers}) {spiral.tight_deep.test_accuracy:.1%}. At about "
               "350, one layer reads {spiral.roomy_wide.test_accuracy:.1%}, two "
               "{spiral.roomy_deep.test_accuracy:.1%}: depth pays when the budget is tight.",
               panels=(), show="depth-width")),
        universal.universal),
    Lesson(
        "noise", "Random noise in, a confident answer out", GRADIENT_DESCENT, ex.NOISE_CONFIG,
        (Stage("The 3b1b network (seed {seed}), trained 10 epochs: {test_accuracy:.1%} of the "
               "test digits.",
               panels=("cost", "confusion"), train_to=10),
         Stage("{noise_images} images of random pixels. The network has never been told "
               "\"none of these\", so it names a digit, often confidently: median top output "
               "{median_confidence:.2f} at this seed. Honestly: over seeds {seeds.first}–"
               "{seeds.last} the median ranged from {seeds.lowest_median:.2f} to "
               "{seeds.highest_median:.2f}, at least 0.7 for {seeds.confident} of the "
               "{seeds.count}.",
               panels=("confusion", "pad"), show="noise")),
        ex.noise),
    Lesson(
        "shuffled", "Shuffled labels: memorising is not learning", GRADIENT_DESCENT,
        preset("shuffled"),
        (Stage("A 784-256-10 network on {images:,} digits whose labels were shuffled. Training "
               "accuracy climbs in an S-curve (slow, then faster, then levelling off) as it "
               "memorises each image's arbitrary label; test accuracy stays near chance: "
               "{test_accuracy:.0%}. (A shuffle leaves {labels_left_right:.0%} of the labels "
               "right by chance, so a little is still learnable.)",
               panels=("cost",), train_to=60),
         Stage("The same network and initial weights on the true labels (faint: the "
               "shuffled run). Both accuracies rise at once: {control_test_accuracy:.0%} on "
               "the test set, against {test_accuracy:.0%} with shuffled labels.",
               panels=("cost",), restart={"shuffle_labels": False}, ghost="shuffled labels",
               train_to=60)),
        ex.shuffled),
    Lesson(
        "trask", "Trask's network in 11 lines: 3-4-1 on four customers", TRASK, preset("trask"),
        (Stage("David Code's survey: have a cat? drink imported beer? visited LitterRip.com? "
               "Did they buy? The answer is the exclusive or of the first two, which no single "
               "neuron can learn. Trask's exact network (16 weights, no biases, seed 1) gives "
               "the printout here, digit for digit; the panels show the app's own 3-4-1 "
               "network (with biases), which stage 3 trains.",
               panels=("cost", "weights"), show="trask"),
         Stage("The guide's tables, per customer, at any iteration: l2, l2_error, the slope "
               "(confidence), l2_delta = error × slope, l1_error, l1_delta and the update. At "
               "iteration 0 customer 1 gets l2 = {tables.0.l2.0:.3f}, after 10,000 "
               "{tables.1.l2.0:.3f}. The guide's own numbers are illustrative; these are his "
               "code's.",
               panels=(), show="trask-tables"),
         Stage("The app's own 3-4-1 network (with biases, its own random start) learns the "
               "same table: watch the weights settle, every value written in its cell.",
               panels=("cost", "weights"), train_to=60000, pace=TRASK_PACE)),
        ex.trask_network),
    Lesson(
        "minibatch", "Mini-batches: the drunkard's walk", f"{LOGISTIC}; {CHAIN_RULE}", _3B1B,
        (Stage("Two parameters, a real task (is this digit a 0 or a 1, from its ink). The "
               "contours are the cost on all 12,665 images; the colours are the cost on a "
               "mini-batch of {batch_size}, a new one at every step.",
               panels=("surface",), surface="minibatch",
               balls=((*ex.MINIBATCH_START, ex.MINIBATCH_LR),), ball_pace=BALL_PACE),
         Stage("The ball follows each mini-batch's slope: a wobbly, drunken path (measured "
               "over {steps} steps: {path_length_ratio:.0%} of full-batch descent's length), "
               "yet it ends as low, at a fraction of the work per step. The real network's "
               "cost is just as noisy.",
               panels=("surface", "cost"), surface="minibatch",
               balls=((*ex.MINIBATCH_START, ex.MINIBATCH_LR),), ball_pace=BALL_PACE,
               train_to=1)),
        ex.minibatches),
    Lesson(
        "chain-rule", "The chain rule with numbers: one neuron per layer", CHAIN_RULE, _3B1B,
        (Stage("One neuron per layer: z = w·a⁽ᴸ⁻¹⁾ + b, a = σ(z), C = (a − y)². Here "
               "a⁽ᴸ⁻¹⁾ = {a1:.2f}, a⁽ᴸ⁾ = {aL:.2f}, y = {y:.0f}: C = {cost_before:.4f}. Each "
               "link of the chain is a number; ∂C/∂w⁽ᴸ⁾ is their product along the path: "
               "{links.dzL/dwL:.3f} × {links.daL/dzL:.3f} × {links.dC/daL:.3f} = "
               "{gradient.wL:.4f}.",
               panels=(), show="chain-rule"),
         Stage("One step of η = {lr:.0f} against the gradient: to first order the cost moves "
               "by −η|∇C|² = {predicted_cost_change:.4f}; it actually moves by "
               "{actual_cost_change:.4f}, to {cost_after:.4f}. The smaller the step, the "
               "closer the prediction.",
               panels=(), show="chain-rule")),
        chain_rule.chain_rule),
    Lesson(
        "backprop", "Backpropagation on one image, layer by layer", BACKPROPAGATION, _3B1B,
        (Stage("Train one epoch, then take one test digit the network reads wrong.",
               panels=("cost", "weights"), train_to=1),
         Stage("Backpropagation: the output error δ, passed back through each layer's weights, "
               "gives every weight's share of the blame. Apply one step at the training's η "
               "({lr:.2f}) on this image: the right output moves (measured: "
               "{output_before:.2f} → {output_after:.2f}, a {label} read as a {read_before}). "
               "The step changes a copy in that window only: the pad and the activations keep "
               "the training network's answer.",
               panels=("pad", "activations"), show="backprop")),
        ex.backprop),
    Lesson(
        "cifar10", "CIFAR-10 without a hidden layer: colour blobs, ~37%", ML4A,
        ex.CIFAR_CONFIG,
        (Stage("32×32 colour photos of 10 things (planes, cars, birds, cats…), 3,072 inputs "
               "straight to 10 outputs. ml4a reports 37%: far better than chance (10%), far "
               "worse than 91% on digits.",
               panels=("cost", "confusion"), train_to=2),
         Stage("The templates are colour blobs: blue around planes and ships (sky and water), "
               "green-brown below animals. The classes vary too much inside for one template "
               "each.",
               panels=("weights", "confusion"), train_to=10)),
        ex.cifar10,
        needs_data="the folder of CIFAR-10's binary version (cifar-10-batches-bin)"),
)

_RECORDED = recorded_figures()
LESSONS = tuple(measured(item, _RECORDED.get(item.name, {})) for item in _LESSONS)
