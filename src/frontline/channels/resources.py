"""Per-queue acknowledgements and per-product signatures as resources."""

from __future__ import annotations

from frontline.auth.access import can_manage_reference_data, can_read_reference_data
from frontline.channels import schemas
from frontline.channels.models import MailAcknowledgement, MailSignature
from frontline.core.resources import Reference, Resource
from frontline.org.models import Queue
from frontline.org.resources import PRODUCT_REFERENCE

MAIL_ACKNOWLEDGEMENTS = Resource(
    name="mail-acknowledgements",
    model=MailAcknowledgement,
    read_schema=schemas.AcknowledgementRead,
    create_schema=schemas.AcknowledgementCreate,
    update_schema=schemas.AcknowledgementUpdate,
    filter_schema=schemas.AcknowledgementFilters,
    search_columns=(MailAcknowledgement.text,),
    order_by=(MailAcknowledgement.queue_id,),
    unique=(("queue_id",),),
    references={"queue_id": Reference(Queue, lambda row: row.name)},
    can_read=can_read_reference_data,
    can_write=can_manage_reference_data,
)

MAIL_SIGNATURES = Resource(
    name="mail-signatures",
    model=MailSignature,
    read_schema=schemas.SignatureRead,
    create_schema=schemas.SignatureCreate,
    update_schema=schemas.SignatureUpdate,
    filter_schema=schemas.SignatureFilters,
    search_columns=(MailSignature.text,),
    order_by=(MailSignature.product_id,),
    unique=(("product_id",),),
    references={"product_id": PRODUCT_REFERENCE},
    can_read=can_read_reference_data,
    can_write=can_manage_reference_data,
)
