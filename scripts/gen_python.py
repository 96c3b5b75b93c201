#!/usr/bin/env python3
"""Writes a synthetic Python backend for benchmarking archlint's source reading.

Usage: gen_python.py OUT_DIR [MODULES]

A FastAPI-style service: `app/main.py` includes one router per module; each module
has models, a service layer with SQL and HTTP calls, and route handlers with
dependencies. About 420 lines per module (500 modules: 210,000 lines).
Deterministic: the same arguments give the same files.
"""
import os
import sys

HANDLER = '''
@router.get("/{name}s/{{item_id}}/part{i}", response_model=Item{i})
async def read_{name}_{i}(item_id: int, user: User = Depends(get_current_user), db: Session = Depends(get_db)):
    """Reads one {name} part {i}."""
    row = db.query(Item{i}).filter(Item{i}.id == item_id).first()
    if row is None:
        raise HTTPException(status_code=404, detail="not found")
    total = sum(x.amount for x in row.lines if x.amount > {i})
    logger.info("read %s %s", item_id, total)
    return row


@router.post("/{name}s/part{i}", status_code=201)
def create_{name}_{i}(payload: Item{i}In, user: User = Depends(get_current_user), db: Session = Depends(get_db)):
    item = Item{i}(name=payload.name, amount=payload.amount, owner_id=user.id)
    db.add(item)
    db.commit()
    return item
'''

SERVICE = '''
class Item{i}(Base):
    __tablename__ = "{name}_item_{i}"
    id = Column(Integer, primary_key=True)
    name = Column(String(200), nullable=False)
    amount = Column(Numeric(12, 2))
    owner_id = Column(Integer, ForeignKey("users.id"), index=True)


class Item{i}In(BaseModel):
    name: str
    amount: float


def price_{name}_{i}(session, item_id, region):
    rows = session.execute(
        text("SELECT id, amount FROM {name}_item_{i} WHERE id = :id AND region = :region"),
        {{"id": item_id, "region": region}},
    ).fetchall()
    result = []
    for row in rows:
        if row.amount and row.amount > 0:
            result.append({{"id": row.id, "amount": float(row.amount) * 1.2}})
        else:
            result.append({{"id": row.id, "amount": 0}})
    return result


def fetch_rates_{i}(base_url, currency):
    response = requests.get(f"{{base_url}}/rates/{{currency}}", timeout=5)
    response.raise_for_status()
    data = response.json()
    return {{k: v for k, v in data.items() if isinstance(v, (int, float))}}
'''

HEADER = '''"""Module {name}: generated for the archlint benchmark."""
import logging

import requests
from fastapi import APIRouter, Depends, HTTPException
from pydantic import BaseModel
from sqlalchemy import Column, ForeignKey, Integer, Numeric, String, text
from sqlalchemy.orm import Session

from app.db import Base, get_db
from app.deps import User, get_current_user

logger = logging.getLogger(__name__)
router = APIRouter(prefix="/{name}", tags=["{name}"])
'''


def main() -> None:
    out = sys.argv[1]
    modules = int(sys.argv[2]) if len(sys.argv) > 2 else 500
    app = os.path.join(out, "app")
    os.makedirs(os.path.join(app, "modules"), exist_ok=True)
    total = 0
    main_lines = ["from fastapi import FastAPI", "", "app = FastAPI()", ""]
    for m in range(modules):
        name = f"mod{m}"
        parts = [HEADER.format(name=name)]
        for i in range(6):
            parts.append(SERVICE.format(name=name, i=i))
            parts.append(HANDLER.format(name=name, i=i))
        text = "\n".join(parts)
        total += text.count("\n")
        with open(os.path.join(app, "modules", f"{name}.py"), "w") as f:
            f.write(text)
        main_lines.append(f"from app.modules import {name}")
        main_lines.append(f'app.include_router({name}.router, prefix="/api/v1")')
    with open(os.path.join(app, "main.py"), "w") as f:
        f.write("\n".join(main_lines) + "\n")
    total += len(main_lines)
    print(f"{modules} modules, {total} lines")


if __name__ == "__main__":
    main()
