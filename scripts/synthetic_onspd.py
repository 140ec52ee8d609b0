#!/usr/bin/env python3
"""Write a synthetic ONSPD-shaped CSV of N rows (default 1,392,000) to stdout,
for measuring `linkline postcodes import` (docs/benchmarks.md). The postcodes
are well-formed and invented; the coordinates are random points in Great Britain."""
import random
import sys

n_max = int(sys.argv[1]) if len(sys.argv) > 1 else 1_392_000
random.seed(1)
letters = "ABDEFGHJLNPQRSTUWXYZ"  # those an inward code may use
areas = ("AB AL B BA BB BD BH BL BN BR BS CA CB CF CH CM CO CR CT CV CW DA DD DE DG DH DL DN DT DY E EC EH EN EX "
         "FK FY G GL GU HA HD HG HP HR HS HU HX IG IP IV KA KT KW KY L LA LD LE LL LN LS LU M ME MK ML N NE NG NN "
         "NP NR NW OL OX PA PE PH PL PO PR RG RH RM S SA SE SG SK SL SM SN SO SP SR SS ST SW SY TA TD TF TN TQ TR "
         "TS TW UB W WA WC WD WF WN WR WS WV YO ZE").split()
out = sys.stdout
out.write('"pcd","pcd2","pcds","dointr","doterm","oscty","ced","oslaua","osward","usertype",'
          '"oseast1m","osnrth1m","osgrdind","lat","long"\n')
n = 0
for a in areas:
    for d in range(1, 30):
        outward = f"{a}{d}"
        lat, lon = random.uniform(50.5, 57.5), random.uniform(-5, 1.5)
        for s in range(10):
            for l1 in letters:
                for l2 in letters[:2]:
                    if n >= n_max:
                        sys.exit(0)
                    out.write(f'"{outward.ljust(4)}{s}{l1}{l2}","{outward.ljust(5)}{s}{l1}{l2}","{outward} {s}{l1}{l2}",'
                              f'"199801","","E10000006","E58000001","E07000031","E05000001","0","351234","492345","1",'
                              f'{lat + random.uniform(-.02, .02):.6f},{lon + random.uniform(-.02, .02):.6f}\n')
                    n += 1
