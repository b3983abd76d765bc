"use client";

import type { ReactNode } from "react";
import { Button } from "./button";
import { Dialog } from "./dialog";

interface ConfirmDialogProps {
  open: boolean;
  title: ReactNode;
  message: ReactNode;
  confirmLabel: string;
  cancelLabel: string;
  closeLabel: string;
  onConfirm: () => void;
  onCancel: () => void;
  /** Red confirm button for destructive actions (revoke, remove). */
  danger?: boolean;
  pending?: boolean;
}

export function ConfirmDialog(props: ConfirmDialogProps) {
  return (
    <Dialog
      open={props.open}
      onClose={props.onCancel}
      title={props.title}
      closeLabel={props.closeLabel}
      footer={
        <>
          <Button variant="secondary" onClick={props.onCancel} disabled={props.pending}>
            {props.cancelLabel}
          </Button>
          <Button variant={props.danger ? "danger" : "primary"} onClick={props.onConfirm} loading={props.pending}>
            {props.confirmLabel}
          </Button>
        </>
      }
    >
      {props.message}
    </Dialog>
  );
}
