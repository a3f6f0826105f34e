"""What encrypting personal data at rest costs (docs/personal-data.md): SM4-GCM encryption and
decryption and HMAC-SM3 per value, and the wall time of a complaint submission and of a rating on the
demo region (SQLite or PostgreSQL), next to the crypto work each one does.

    .venv/bin/python bench/personal_data.py [--db sqlite|postgres] [--n 200]

A complaint encrypts 4 values and computes 1 keyed hash; a rating 1 and 1; an ingested `received`
event carrying an applicant 3 and 3.
"""
import argparse
import json
import os
import sys
import time
from datetime import timedelta

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import fresh_database, manage, setup_django, write_result  # noqa: E402


def per_call_us(fn, n=20_000):
    fn()
    started = time.perf_counter()
    for _ in range(n):
        fn()
    return round((time.perf_counter() - started) / n * 1e6, 2)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--name", default="cw_bench_personal_data", help="the benchmark database's name")
    parser.add_argument("--n", type=int, default=200)
    args = parser.parse_args()
    url = fresh_database(args.db, args.name)
    manage(url, "migrate", "--noinput")
    manage(url, "demo_setup", "--history-days", "0")
    setup_django(url)
    from django.utils import timezone

    from cases import applicants
    from cases.ingest import ingest
    from cases.models import ApiClient, Case
    from catalog.models import Item
    from complaints.actions import ComplaintInput, do_submit_complaint
    from core import crypto
    from evaluations.actions import submit_rating
    from orgs.models import Region

    aad = "complaints.complainantidentity.phone"
    stored = crypto.encrypt("13571113579", aad)
    micro = {"encrypt_us": per_call_us(lambda: crypto.encrypt("13571113579", aad)),
             "decrypt_us": per_call_us(lambda: crypto.decrypt(stored, aad)),
             "keyed_hash_us": per_call_us(lambda: crypto.keyed_hash("13571113579", "phone"))}
    # what ingest adds per `received` carrying an applicant, before its transaction: take it out of the
    # event, encrypt its three fields, hash them (CPU time)
    data = [{"item_code": "X", "channel": "window", "applicant": {"name": "乌力吉", "id_number": "15250219870605123X",
                                                                 "phone": f"135{i:08d}"}} for i in range(5000)]
    cpu = time.process_time()
    applicants.rows([(f"PD{i}", applicants.take(d)[1]) for i, d in enumerate(data)])
    micro["received_applicant_cpu_us"] = round((time.process_time() - cpu) / len(data) * 1e6, 1)

    region = Region.objects.get(code="152502")
    started = time.perf_counter()
    for i in range(args.n):
        do_submit_complaint(ComplaintInput(category="attitude", subject="窗口人员态度恶劣", content="推诿，反复补交材料。",
                                           region=region, name="萨仁高娃", phone=f"135{i:08d}",
                                           email="test@example.org", address="锡林浩特市额尔敦路七十七号"),
                            channel="portal", actor="portal")
    complaint_ms = (time.perf_counter() - started) / args.n * 1e3

    item = Item.objects.filter(department__region__code="152502").first()
    client = ApiClient(name="bench-pd", region=region)
    client.set_new_key()
    client.save()
    now = timezone.now()
    at = (now - timedelta(minutes=30)).isoformat()
    events = []
    for i in range(args.n):
        no = f"PD{i:06d}"
        events += [{"event_id": f"{no}-r", "case_no": no, "type": "received", "occurred_at": at,
                    "item_code": item.code, "channel": "online",
                    "applicant": {"name": "乌力吉", "id_number": "15250219870605123X", "phone": f"135{i:08d}"}},
                   {"event_id": f"{no}-a", "case_no": no, "type": "accepted", "occurred_at": at, "staff": "x"}]
    result = ingest(client, events, now=now)
    assert not result.rejected, result.rejected[:3]
    cases = list(Case.objects.filter(case_no__startswith="PD"))
    started = time.perf_counter()
    for i, case in enumerate(cases):
        submit_rating(case.case_no, check_code=case.check_code, now=now, channel="web", source=f"web:{i}",
                      stage="acceptance", level="satisfied", rater_phone=f"139{i:08d}")
    rating_ms = (time.perf_counter() - started) / len(cases) * 1e3
    crypto_complaint = 4 * micro["encrypt_us"] + micro["keyed_hash_us"]
    crypto_rating = micro["encrypt_us"] + micro["keyed_hash_us"]
    out = {"db": args.db, "n": args.n, **micro,
           "complaint_submission_ms": round(complaint_ms, 2), "complaint_crypto_us": round(crypto_complaint, 1),
           "complaint_crypto_share_pct": round(crypto_complaint / (complaint_ms * 1e3) * 100, 2),
           "rating_ms": round(rating_ms, 2), "rating_crypto_us": round(crypto_rating, 1),
           "rating_crypto_share_pct": round(crypto_rating / (rating_ms * 1e3) * 100, 2)}
    print(json.dumps(out))
    write_result(f"personal_data-{args.db}", out)


if __name__ == "__main__":
    main()
