"""The twelve lessons. Every number a caption quotes was measured with the lesson's own
headless experiment (``python main.py lesson NAME --headless``) on the full data."""

from ..config import preset
from . import experiments as ex
from .lesson import Lesson, Stage

GRADIENT_DESCENT = "3Blue1Brown, Gradient descent, how neural networks learn (chapter 2)"
BACKPROPAGATION = "3Blue1Brown, What is backpropagation really doing? (chapter 3)"
ML4A = "ml4a, Looking inside neural nets"
TRASK = "Andrew Trask, A Neural Network in 11 lines of Python"
LOGISTIC = "From logistic regression to neural networks"

_3B1B = preset("3b1b")

LESSONS = (
    Lesson(
        "descent", "Gradient descent: rolling downhill into a minimum", GRADIENT_DESCENT, _3B1B,
        (Stage("Training is rolling downhill: each step moves against the slope, by the "
               "learning rate times the slope. In a round bowl every ball, wherever it starts, "
               "ends at the one lowest point.",
               panels=("surface",), surface="bowl",
               balls=tuple((x, y, ex.DESCENT_LR) for x, y in ex.DESCENT_STARTS)),
         Stage("A bumpy bowl has several valleys. The same seven balls end in five different "
               "minima, and most of them are not the lowest: gradient descent finds a local "
               "minimum, the one downhill from where it starts.",
               panels=("surface",), surface="bumpy",
               balls=tuple((x, y, ex.DESCENT_LR) for x, y in ex.DESCENT_STARTS))),
        ex.descent),
    Lesson(
        "learning-rate", "Learning rate: too small, right, too large", GRADIENT_DESCENT,
        _3B1B.replace(lr=0.01, epochs=2),
        (Stage("Three balls start at the same place with η = 0.03, 0.7 and 2.05. The small "
               "step crawls, the middle one lands in the bottom, the large one overshoots "
               "further at every step and flies off.",
               panels=("surface",), surface="bowl", balls=ex.RATE_BALLS),
         Stage("Now the real 784-16-16-10 network, 2 epochs at η = 0.01: the cost barely "
               "moves (measured: 30% test accuracy after 2 epochs).",
               panels=("cost", "weights"), train_to=2),
         Stage("The same initial weights at η = 1: 93% after 2 epochs. The faint curve is "
               "the η = 0.01 run.",
               panels=("cost", "weights"), restart={"lr": 1.0}, ghost="η = 0.01", train_to=2),
         Stage("η = 100: the first steps drive every sigmoid neuron into saturation, where "
               "the slope is zero, and learning stops: stuck at 11% (it always answers "
               "the same digit).",
               panels=("cost", "weights"), restart={"lr": 100.0}, ghost="η = 1", train_to=2)),
        ex.learning_rate),
    Lesson(
        "3b1b", "3Blue1Brown's network: 784-16-16-10, 13,002 weights and biases",
        GRADIENT_DESCENT, _3B1B,
        (Stage("784 pixels in, two hidden layers of 16 sigmoid neurons, 10 outputs: 13,002 "
               "weights and biases, all random for now. Watch the cost fall during the first "
               "epoch.",
               panels=("cost", "weights"), train_to=1),
         Stage("After 10 epochs: about 95% of the 10,000 test digits (measured 95.06%). The "
               "lecture says about 96%; plain sigmoid neurons with the squared-error cost top "
               "out near 95% at this size.",
               panels=("cost", "weights", "confusion"), train_to=10)),
        ex.three_blue_one_brown),
    Lesson(
        "tweaks", "From 95% to 98%: what each change buys", GRADIENT_DESCENT, _3B1B,
        (Stage("The baseline: 3Blue1Brown's network, sigmoid neurons, squared error, plain "
               "gradient descent. About 95% after 10 epochs.",
               panels=("cost", "confusion"), train_to=10),
         Stage("Same 784-16-16-10 shape with ReLU neurons, softmax + cross-entropy and momentum "
               "(faint: the baseline): about 96%. Better learning, same small network.",
               panels=("cost", "confusion"), ghost="sigmoid + squared error",
               restart=preset("3b1b-tweaked").to_dict(), train_to=20),
         Stage("The rest comes from size: 784-256-128-10 (235,146 weights and biases) with Adam, "
               "trained on shifted and rotated digits. The shipped model reads 98.7% of the "
               "test digits: draw one on the pad.",
               panels=("confusion", "pad"), show="model strong")),
        ex.tweaks),
    Lesson(
        "templates", "No hidden layer: the weights become digit templates", ML4A,
        preset("templates"),
        (Stage("784 inputs straight to 10 outputs. Each output's 784 weights, drawn as a "
               "28×28 picture, become a blurry template of its digit.",
               panels=("weights", "cost"), train_to=1),
         Stage("After 10 epochs: about 91.6% (ml4a reports about 90%). Yellow pixels vote "
               "for the digit, blue ones against it.",
               panels=("weights", "confusion"), train_to=10),
         Stage("Its most common confusion: a 3 read as a 5 (46 of 1,010 threes). The "
               "thumbnails are the ones it is most sure of: the templates overlap.",
               panels=("confusion", "weights"), show="cell 3 5")),
        ex.templates),
    Lesson(
        "hidden10", "A hidden layer of ten neurons", ML4A, preset("hidden10"),
        (Stage("784-10-10: ten hidden neurons between the pixels and the answers. Their "
               "weights are no longer digit templates but strokes and blobs that the "
               "outputs combine.",
               panels=("weights", "cost"), train_to=3),
         Stage("Click a hidden neuron to see the images that excite it most and its outgoing "
               "weights to each digit. The gain over no hidden layer is small: about 92.8% "
               "against 91.6%.",
               panels=("weights", "confusion"), train_to=10)),
        ex.hidden_ten),
    Lesson(
        "noise", "Random noise in, a confident answer out", GRADIENT_DESCENT, ex.NOISE_CONFIG,
        (Stage("The 3b1b network (seed 1), trained 10 epochs: about 95% of the test digits.",
               panels=("cost", "confusion"), train_to=10),
         Stage("200 images of random pixels. The network has never been told \"none of "
               "these\", so it names a digit, often confidently: median top output 0.84 at "
               "this seed. Honestly: over seeds 0–11 the median ranged from 0.26 to 0.93, "
               "at least 0.7 for 7 of the 12.",
               panels=("confusion", "pad"), show="noise")),
        ex.noise),
    Lesson(
        "shuffled", "Shuffled labels: memorising is not learning", LOGISTIC, preset("shuffled"),
        (Stage("A 784-256-10 network on 2,000 digits whose labels were shuffled. Training "
               "accuracy climbs slowly, almost in a straight line, as it memorises each "
               "image's arbitrary label; test accuracy stays at chance (10%).",
               panels=("cost",), train_to=60),
         Stage("The same network and initial weights on the true labels (faint: the "
               "shuffled run). Both accuracies rise at once: about 92% on the test set, "
               "against 12% with shuffled labels.",
               panels=("cost",), restart={"shuffle_labels": False}, ghost="shuffled labels",
               train_to=60)),
        ex.shuffled),
    Lesson(
        "trask", "Trask's network in 11 lines: 3-4-1 on four customers", TRASK, preset("trask"),
        (Stage("Trask's table: 4 customers, 3 yes/no columns, did they buy? The answer is "
               "the exclusive or of the first two columns, which no single neuron can "
               "learn. His exact network (16 weights, no biases, seed 1) gives the printout "
               "here, digit for digit.",
               panels=("cost", "weights"), show="trask"),
         Stage("The app's own 3-4-1 network (with biases, its own random start) learns the "
               "same table: watch the weights settle, every value written in its cell.",
               panels=("cost", "weights"), train_to=60000)),
        ex.trask_network),
    Lesson(
        "minibatch", "Mini-batches: the drunkard's walk", GRADIENT_DESCENT, _3B1B,
        (Stage("Two parameters, a real task (is this digit a 0 or a 1, from its ink). The "
               "contours are the cost on all 12,665 images; the colours are the cost on a "
               "mini-batch of 16, a new one at every step.",
               panels=("surface",), surface="minibatch",
               balls=((*ex.MINIBATCH_START, ex.MINIBATCH_LR),)),
         Stage("The ball follows each mini-batch's slope: a wobbly, drunken path (measured "
               "over 60 steps: 19% longer than full-batch descent), yet it ends as low, at a "
               "fraction of the work per step. The real network's cost is just as noisy.",
               panels=("surface", "cost"), surface="minibatch",
               balls=((*ex.MINIBATCH_START, ex.MINIBATCH_LR),), train_to=1)),
        ex.minibatches),
    Lesson(
        "backprop", "Backpropagation on one image, layer by layer", BACKPROPAGATION, _3B1B,
        (Stage("Train one epoch, then take one test digit the network reads wrong.",
               panels=("cost", "weights"), train_to=1),
         Stage("Backpropagation: the output error δ, passed back through each layer's weights, "
               "gives every weight's share of the blame. Apply one step at the training's η "
               "(0.85) on this image: the right output rises (measured: 0.18 → 0.89, a 5 "
               "read as a 6).",
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
