"""Rows the knowledge-base tests need."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from frontline.demo.catalog import PRODUCTS
from frontline.org.models import Product


def add_demo_products(session: Session) -> dict[str, int]:
    """The demo catalog's products (their codes are what the demo articles name); code -> id."""
    existing = set(session.scalars(select(Product.code)))
    session.add_all(
        Product(code=spec.code, name=spec.name, description=spec.description)
        for spec in PRODUCTS
        if spec.code not in existing
    )
    session.commit()
    return {
        code: product_id for code, product_id in session.execute(select(Product.code, Product.id))
    }
