#!/usr/bin/env python3
"""PyTorch reference for org.bgtai.nn.bench.TrainStepBench: one training step (forward,
backward, AdamW) of a seq2seq transformer with the same sizes. Prints one JSON line
{"ms_per_step": .., "params": .., "threads": ..}.

usage: train_step_torch.py [--steps N] [--warmup N] [--threads N]
"""
import argparse, json, math, time
import torch
import torch.nn as nn

SRC_VOCAB, TGT_VOCAB, D, HEADS, LAYERS, FF, DROPOUT = 3000, 1100, 256, 4, 3, 1024, 0.1
BATCH, SRC_LEN, TGT_LEN = 32, 24, 12


class Seq2Seq(nn.Module):
    def __init__(self):
        super().__init__()
        self.src_embed = nn.Embedding(SRC_VOCAB, D)
        self.tgt_embed = nn.Embedding(TGT_VOCAB, D)
        self.transformer = nn.Transformer(D, HEADS, LAYERS, LAYERS, FF, DROPOUT, batch_first=True)
        self.generator = nn.Linear(D, TGT_VOCAB)
        pe = torch.zeros(512, D)
        pos = torch.arange(512).unsqueeze(1).float()
        div = torch.exp(torch.arange(0, D, 2).float() * (-math.log(10000.0) / D))
        pe[:, 0::2] = torch.sin(pos * div)
        pe[:, 1::2] = torch.cos(pos * div)
        self.register_buffer("pe", pe, persistent=False)

    def forward(self, src, tgt, tgt_mask):
        s = self.src_embed(src) * math.sqrt(D) + self.pe[: src.size(1)]
        t = self.tgt_embed(tgt) * math.sqrt(D) + self.pe[: tgt.size(1)]
        return self.generator(self.transformer(s, t, tgt_mask=tgt_mask))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--steps", type=int, default=20)
    ap.add_argument("--warmup", type=int, default=10)
    ap.add_argument("--threads", type=int, default=2)
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(0)
    model = Seq2Seq().train()
    params = sum(p.numel() for p in model.parameters())
    opt = torch.optim.AdamW(model.parameters(), lr=1e-4, betas=(0.9, 0.98), eps=1e-9, weight_decay=0.01)
    loss_fn = nn.CrossEntropyLoss(label_smoothing=0.1)
    src = torch.randint(1, SRC_VOCAB, (BATCH, SRC_LEN))
    tgt = torch.randint(1, TGT_VOCAB, (BATCH, TGT_LEN + 1))
    tgt_in, tgt_out = tgt[:, :-1], tgt[:, 1:]
    mask = nn.Transformer.generate_square_subsequent_mask(TGT_LEN)

    def step():
        opt.zero_grad()
        logits = model(src, tgt_in, mask)
        loss = loss_fn(logits.reshape(-1, TGT_VOCAB), tgt_out.reshape(-1))
        loss.backward()
        opt.step()
        return loss.item()

    for _ in range(a.warmup):
        step()
    t0 = time.perf_counter()
    for _ in range(a.steps):
        step()
    ms = (time.perf_counter() - t0) * 1000 / a.steps
    print(json.dumps({"ms_per_step": ms, "params": params, "threads": a.threads, "torch": torch.__version__}))


if __name__ == "__main__":
    main()
